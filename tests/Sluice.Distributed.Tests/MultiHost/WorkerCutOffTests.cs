using Sluice.Testing.Network;
using Xunit.Abstractions;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>
/// A worker's host is cut off (its link goes down) while it runs a task: the scheduler declares the attempt a zombie
/// and retries it on the other worker; when the link comes back, the old worker is refused (its heartbeat, and with it
/// any result) and abandons the attempt, so the task's final state and attempt are the other worker's.
/// </summary>
public sealed class WorkerCutOffTests(ITestOutputHelper output)
{
    [MultiHostFact(cutsLinks: true)]
    public async Task A_worker_cut_off_mid_task_is_retried_elsewhere_and_refused_when_it_comes_back()
    {
        await using var cluster = await MultiHostCluster.StartAsync(output);
        var sluice = new SluiceOnHosts(cluster);
        var store = new StoreQueries(cluster.LocalConnectionString);
        var marks = Path.Combine(Path.GetTempPath(), $"sluice-cutoff-{Guid.NewGuid():N}.log");
        await sluice.CliAsync("migrate");
        var file = Path.Combine(Path.GetTempPath(), $"sluice-cutoff-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Dag(marks));
        await sluice.CliAsync("dags", "apply", "-f", file);
        File.Delete(file);

        // A generous zombie timeout: on a loaded machine a live worker's heartbeat can be late by seconds.
        var scheduler = sluice.Scheduler(await cluster.Network.AddHostAsync("sched"), "sched-1", "--zombie-after", "20s");
        var hosts = new Dictionary<string, NetworkHost> { ["worker-a"] = await cluster.Network.AddHostAsync("wa"), ["worker-b"] = await cluster.Network.AddHostAsync("wb") };
        var workers = hosts.ToDictionary(h => h.Key, h => sluice.Worker(h.Value, h.Key, 1, "--heartbeat", "2s"));
        await SluiceOnHosts.ReadyAsync(scheduler, "scheduler");
        foreach (var worker in workers.Values)
            await SluiceOnHosts.ReadyAsync(worker, "worker");
        await sluice.CliAsync("dags", "trigger", "cut_off");
        // Whichever worker claims the first attempt is the one whose host is cut off.
        Assert.True(await StoreQueries.EventuallyAsync(async () =>
            await store.ScalarAsync<long>("select count(*) from task_instances where state = 'running' and worker_id is not null") == 1, TimeSpan.FromMinutes(2)),
            "no worker started the task");
        var claimed = (await store.RowsAsync("select worker_id, attempt from task_instances where task_id = 'slow'")).Single();
        var (lost, attemptA) = ((string)claimed[0], (int)claimed[1]);
        var other = workers.Keys.Single(k => k != lost);
        // A claimed attempt is running from the claim on; cut the host off only once its command has really started.
        Assert.True(await StoreQueries.EventuallyAsync(async () =>
            File.Exists(marks) && (await File.ReadAllLinesAsync(marks)).Contains("1 start"), TimeSpan.FromMinutes(1)),
            $"{lost} claimed attempt {attemptA} but its command never started");
        output.WriteLine($"{lost} runs attempt {attemptA}; cutting its host off, {other} should take the retry");

        await cluster.Network.CutAsync(hosts[lost]);
        Assert.True(await StoreQueries.EventuallyAsync(async () =>
            await store.ScalarAsync<long>($"select count(*) from task_instances where state = 'success' and worker_id = '{other}'") == 1, TimeSpan.FromMinutes(3)),
            $"the task did not succeed on {other} after {lost} was cut off: {Describe(await store.RowsAsync("select state, attempt, worker_id, error from task_instances"))}");
        var (attemptB, endedB) = ((int)(await store.RowsAsync("select attempt from task_instances where task_id = 'slow'"))[0][0],
            (DateTime)(await store.RowsAsync("select ended_at from task_instances where task_id = 'slow'"))[0][0]);
        Assert.True(attemptB > attemptA, $"the retry on {other} has attempt {attemptB}, not above {lost}'s {attemptA}");
        var firstLine = workers[lost].LineCount;

        await cluster.Network.RestoreAsync(hosts[lost]);
        // Back on the network, the cut-off worker learns its attempt is no longer running: refused, it abandons the attempt.
        var refused = await workers[lost].WaitForLineAsync(l => l.Contains("refused", StringComparison.Ordinal), firstLine, TimeSpan.FromMinutes(2));
        output.WriteLine($"{lost} after the cut: {refused.Line}");
        // Its first attempt's command ran long; give it time to have ended (or been killed) before the final check.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var final = (await store.RowsAsync("select state, attempt, worker_id, ended_at from task_instances where task_id = 'slow'")).Single();
        Assert.Equal("success", final[0]);
        Assert.Equal(attemptB, (int)final[1]);
        Assert.Equal(other, final[2]);
        Assert.Equal(endedB, (DateTime)final[3]);
        Assert.Equal("success", await store.ScalarAsync<string>("select state from dag_runs"));
        var lines = await File.ReadAllLinesAsync(marks);
        output.WriteLine($"marks: {string.Join(" | ", lines)}");
        Assert.Contains($"{attemptA} start", lines);
        Assert.Contains($"{attemptB} end", lines);
        // The cut-off worker's first attempt was killed when it was refused, before its 60 s sleep could end.
        Assert.DoesNotContain($"{attemptA} end", lines);
        File.Delete(marks);
    }

    // The first attempt runs a minute (long enough to be cut off in the middle); the retry ends in a few seconds.
    private static string Dag(string marks) =>
        $$$"""
        name: cut_off
        tasks:
          - id: slow
            type: command
            command: sh
            args: ["-c", "echo \"{{ try_number }} start\" >> {{{marks}}}; if [ {{ try_number }} = 1 ]; then sleep 60; else sleep 2; fi; echo \"{{ try_number }} end\" >> {{{marks}}}"]
            retries: 2
            retry_delay: 1s
        """;

    private static string Describe(List<object[]> rows) => string.Join("; ", rows.Select(r => string.Join(", ", r)));
}
