using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sluice.Distributed.Tests;

/// <summary>
/// "Sync now" in a distributed install: the stateless server only queues the job in PostgreSQL, a worker claims it
/// and runs it; a worker killed mid-sync loses the job to another worker, which runs it as a new attempt.
/// </summary>
public sealed class SyncJobQueueTests
{
    [Fact]
    public async Task A_sync_asked_for_through_the_api_runs_on_a_worker_and_is_retried_elsewhere_when_its_worker_is_killed()
    {
        await using var cluster = await Cluster.StartAsync();
        var (w1, client) = await StartWithApiAsync(cluster);
        using var api = client;
        await CreateAsync(api, "/api/v1/sources", new { name = "small", connector = "sample", config = new { customers = 50, products = 10, orders = 200 } });
        await CreateAsync(api, "/api/v1/sources", new { name = "big", connector = "sample", config = new { customers = 10, products = 10, orders = 800_000, batch_rows = 2000 } });
        await CreateAsync(api, "/api/v1/destinations", new { name = "small-out", connector = "sqlite", config = new { path = Path.Combine(cluster.DataDir, "small.db") } });
        await CreateAsync(api, "/api/v1/destinations", new { name = "big-out", connector = "sqlite", config = new { path = Path.Combine(cluster.DataDir, "big.db") } });
        await CreateAsync(api, "/api/v1/connections", new { name = "small", source = "small", destination = "small-out" });
        await CreateAsync(api, "/api/v1/connections", new { name = "big", source = "big", destination = "big-out" });

        // Sync now: the server queues, w1 runs it.
        var small = await SyncNowAsync(api, "small");
        var done = await WaitForJobAsync(api, cluster, small, j => j["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled");
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString() + "\n" + cluster.AllOutput);
        Assert.Equal(260, done["stats"]!["recordsRead"]!.GetValue<long>());
        Assert.Equal(260, done["stats"]!["recordsCommitted"]!.GetValue<long>());
        Assert.Equal(200, await CountAsync(Path.Combine(cluster.DataDir, "small.db"), "orders"));
        Assert.Contains("succeeded: 260 records", await api.GetStringAsync($"/api/v1/jobs/{small}/logs"));
        Assert.Contains($"worker w1: sync job {small} succeeded, 260 records", w1.Stderr);

        // kill -9 of the worker mid-sync: the scheduler puts the job back, w2 runs it as attempt 2.
        var big = await SyncNowAsync(api, "big");
        await WaitForJobAsync(api, cluster, big, j => j["status"]!.GetValue<string>() == "running" && j["stats"]!["recordsRead"]!.GetValue<long>() > 0, seconds: 180);
        // The workers list counts the sync job w1 runs (it runs no task).
        var busy = await WorkerInListAsync(cluster, "w1");
        Assert.Equal((0, 1), (busy.GetProperty("runningTasks").GetInt32(), busy.GetProperty("runningSyncJobs").GetInt32()));
        w1.Kill();
        var w2 = await cluster.ReadyAsync(cluster.Worker("w2", 2, "--heartbeat", "500ms"));
        var retried = await WaitForJobAsync(api, cluster, big, j => j["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", seconds: 300);
        Assert.True(retried["status"]!.GetValue<string>() == "succeeded", retried.ToJsonString() + "\n" + cluster.AllOutput);
        // Attempt 2 starts over or resumes from attempt 1's last committed checkpoint: either way every row lands once.
        Assert.Equal(800_000, await CountAsync(Path.Combine(cluster.DataDir, "big.db"), "orders"));
        var attempts = (await api.GetFromJsonAsync<JsonArray>($"/api/v1/jobs/{big}/attempts"))!;
        Assert.Equal(2, attempts.Count);
        Assert.Equal("failed", attempts[0]!["status"]!.GetValue<string>());
        Assert.Contains("worker w1 went silent", attempts[0]!["error"]!.GetValue<string>());
        Assert.True(attempts[0]!["stats"]!["recordsRead"]!.GetValue<long>() > 0, attempts.ToJsonString());
        Assert.Equal("succeeded", attempts[1]!["status"]!.GetValue<string>());
        Assert.Equal(attempts[1]!["stats"]!["recordsRead"]!.GetValue<long>(), retried["stats"]!["recordsRead"]!.GetValue<long>());
        Assert.Contains($"zombie: sync job {big} lost its worker", cluster.AllOutput);
        Assert.Contains($"worker w2: sync job {big} succeeded", w2.Stderr);
        var log = await api.GetStringAsync($"/api/v1/jobs/{big}/logs");
        Assert.Contains("--- attempt 2 ---", log);
        Assert.Contains("went silent", log + attempts.ToJsonString());
        Assert.Contains("succeeded: ", log);
    }

    /// <summary>
    /// A DAG's sync task runs its job inside the task's attempt, on the worker. kill -9 of that worker mid-sync: the
    /// scheduler fails the silent attempt and, with it, the job (it does not stay running), and the task's retry runs
    /// a new job on another worker as attempt 2.
    /// </summary>
    [Fact]
    public async Task A_dag_sync_tasks_job_fails_with_its_attempt_when_the_worker_is_killed_and_the_retry_runs_a_new_job()
    {
        await using var cluster = await Cluster.StartAsync();
        var (w1, client) = await StartWithApiAsync(cluster);
        using var api = client;
        await CreateAsync(api, "/api/v1/sources", new { name = "big", connector = "sample", config = new { customers = 10, products = 10, orders = 800_000, batch_rows = 2000 } });
        await CreateAsync(api, "/api/v1/destinations", new { name = "big-out", connector = "sqlite", config = new { path = Path.Combine(cluster.DataDir, "big.db") } });
        await CreateAsync(api, "/api/v1/connections", new { name = "big", source = "big", destination = "big-out" });
        await cluster.Operations.ApplyAsync("name: big_sync\nschedule: manual\ntasks:\n  - id: sync\n    type: sync\n    connection: big\n    retries: 1\n    retry_delay: 1s\n");
        var run = await cluster.Operations.TriggerAsync("big_sync");

        var first = await cluster.WaitForTaskAsync(run.Id, "sync", t => t is { State: "running", WorkerId: "w1" }, seconds: 120, why: "running on w1");
        var job = await WaitForJobAsync(api, cluster, await OnlyJobAsync(cluster), j => j["status"]!.GetValue<string>() == "running" && j["stats"]!["recordsRead"]!.GetValue<long>() > 0, seconds: 180);
        var jobId = job["id"]!.GetValue<long>();
        // The job is the task's own: the workers list counts it once, as the running task.
        var busy = await WorkerInListAsync(cluster, "w1");
        Assert.Equal((1, 0), (busy.GetProperty("runningTasks").GetInt32(), busy.GetProperty("runningSyncJobs").GetInt32()));

        w1.Kill();
        var failed = await WaitForJobAsync(api, cluster, jobId, j => j["status"]!.GetValue<string>() != "running", seconds: 120);
        Assert.True(failed["status"]!.GetValue<string>() == "failed", failed.ToJsonString() + "\n" + cluster.AllOutput);
        Assert.Contains("worker w1 went silent", failed["error"]!.GetValue<string>());
        Assert.Contains($"zombie: sync job {jobId} lost its worker", cluster.AllOutput);

        await cluster.ReadyAsync(cluster.Worker("w2", 2, "--heartbeat", "500ms"));
        var done = await cluster.WaitForTaskAsync(run.Id, "sync", t => t.State is "success" or "failed", seconds: 300, why: "ended");
        Assert.True(done.State == "success", done + "\n" + cluster.AllOutput);
        Assert.Equal(("w2", first.Attempt + 1, 2), (done.WorkerId, done.Attempt, done.TryNumber));
        Assert.Contains("zombie: big_sync.sync", cluster.AllOutput);

        // Two jobs: the dead worker's, failed, and the retry's, succeeded; none left running.
        var jobs = await cluster.Store.Jobs.ListAsync(null, 10);
        Assert.Equal(2, jobs.Count);
        Assert.Equal([Sluice.Core.Model.JobStatus.Succeeded, Sluice.Core.Model.JobStatus.Failed], jobs.Select(j => j.Status));
        Assert.Equal(jobId, jobs[1].Id);
        var attempt = Assert.Single(await cluster.Store.Jobs.ListAttemptsAsync(jobId));
        Assert.Equal(Sluice.Core.Model.JobStatus.Failed, attempt.Status);
        Assert.Equal(800_000, await CountAsync(Path.Combine(cluster.DataDir, "big.db"), "orders"));
        var logs = await cluster.Store.Runs.ReadLogsAsync(done.Id);
        Assert.Contains($"sync job {jobs[0].Id}: succeeded", logs.Single(l => l.Attempt == done.Attempt).Text);
    }

    /// <summary>
    /// Scheduler s1 (zombies after 3 s), worker w1 (2 slots, 500 ms heartbeats) and a server, with an API client signed
    /// in as admin (cookie and CSRF header).
    /// </summary>
    private static async Task<(SluiceNode W1, HttpClient Api)> StartWithApiAsync(Cluster cluster)
    {
        var port = Sluice.Testing.FreePort.Next();
        await cluster.ReadyAsync(cluster.Scheduler("s1", "--zombie-after", "3s"));
        var w1 = await cluster.ReadyAsync(cluster.Worker("w1", 2, "--heartbeat", "500ms"));
        var server = cluster.Start("server", "server", "--store", cluster.Url, "--listen", $"http://127.0.0.1:{port}");
        await server.WaitForLineAsync($@"^server ready on http://127\.0\.0\.1:{port}$", TimeSpan.FromSeconds(90));
        var api = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Cluster.AdminPassword });
        login.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Add("X-CSRF-Token", (await login.Content.ReadFromJsonAsync<JsonObject>())!["csrfToken"]!.GetValue<string>());
        return (w1, api);
    }

    private static async Task<long> OnlyJobAsync(Cluster cluster)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if ((await cluster.Store.Jobs.ListAsync(null, 10)).SingleOrDefault() is { } job)
                return job.Id;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the sync task made no job\n" + cluster.AllOutput);
            await Task.Delay(200);
        }
    }

    private static async Task<System.Text.Json.JsonElement> WorkerInListAsync(Cluster cluster, string id)
    {
        var list = cluster.Start($"list-{Guid.NewGuid():N}", "workers", "list", "--store", cluster.Url, "--format", "json");
        Assert.True(await list.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, list.Output);
        return System.Text.Json.JsonDocument.Parse(list.Stdout).RootElement.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
    }

    private static async Task<long> CountAsync(string database, string table)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task CreateAsync(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<long> SyncNowAsync(HttpClient api, string connection)
    {
        var accepted = await api.PostAsync($"/api/v1/connections/{connection}/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    private static async Task<JsonObject> WaitForJobAsync(HttpClient api, Cluster cluster, long id, Func<JsonObject, bool> condition, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}"))!;
            if (condition(job))
                return job;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"job {id} never got there: {job.ToJsonString()}\n{cluster.AllOutput}");
            await Task.Delay(200);
        }
    }
}
