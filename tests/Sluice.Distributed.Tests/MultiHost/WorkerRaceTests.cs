using System.Diagnostics;
using System.Text;
using Sluice.Testing.Network;
using Xunit.Abstractions;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>
/// Two workers on two hosts race for 10,000 queued tasks: 100 runs (a one-second schedule caught up over the last 100
/// seconds) of a 100-task DAG. Each task is an http call to a counter in the test process with the run and task in its
/// path, so every execution is seen wherever it ran: each task must run exactly once.
/// In the default run (the issue wants it in CI): on the 2-core dev machine shared with other helpers' builds (load
/// average 31, 23 Nov 2026) the whole test took 2 min 12 s, the 10,000 tasks 84 s after the workers were ready. At load
/// 70-90 it took 2 min 27 s; before set-based scheduling it did not finish at all.
/// </summary>
public sealed class WorkerRaceTests(ITestOutputHelper output)
{
    private const int Runs = 100;
    private const int TasksPerRun = 100;
    private const int Tasks = Runs * TasksPerRun;

    [MultiHostFact]
    public async Task Two_workers_racing_for_10000_tasks_run_every_task_exactly_once()
    {
        await using var cluster = await MultiHostCluster.StartAsync(output);
        await using var counter = new HitCounter(cluster.Network.GatewayAddress);
        var sluice = new SluiceOnHosts(cluster);
        var store = new StoreQueries(cluster.LocalConnectionString);
        await sluice.CliAsync("migrate");
        var file = Path.Combine(Path.GetTempPath(), $"sluice-race-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Dag(counter.Prefix));
        await sluice.CliAsync("dags", "apply", "-f", file);
        File.Delete(file);
        // The default pool would queue 128 at a time; the race is about all of them being up for grabs at once.
        await store.ScalarAsync<long>($"with u as (update pools set slots = {Tasks} where name = 'default' returning 1) select count(*) from u");

        var scheduler = sluice.Scheduler(await cluster.Network.AddHostAsync("sched"), "sched-1");
        var workers = new[] { sluice.Worker(await cluster.Network.AddHostAsync("w1"), "worker-1", 16), sluice.Worker(await cluster.Network.AddHostAsync("w2"), "worker-2", 16) };
        await SluiceOnHosts.ReadyAsync(scheduler, "scheduler");
        foreach (var worker in workers)
            await SluiceOnHosts.ReadyAsync(worker, "worker");

        var clock = Stopwatch.StartNew();
        var done = await StoreQueries.EventuallyAsync(async () =>
            await store.ScalarAsync<long>("select count(*) from task_instances where state in ('success', 'failed', 'upstream_failed')") == Tasks,
            TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(1));
        clock.Stop();
        var perWorker = await store.RowsAsync("select coalesce(worker_id, '-'), state, count(*) from task_instances group by 1, 2 order by 1, 2");
        output.WriteLine($"{Tasks} tasks in {clock.Elapsed.TotalSeconds:0.0} s after the workers were ready; " +
            string.Join(", ", perWorker.Select(r => $"{r[0]} {r[1]}: {r[2]}")) + $"; {counter.Hits.Count} distinct tasks called the counter");
        Assert.True(done, $"not every task ended within 6 minutes: {string.Join(", ", perWorker.Select(r => $"{r[0]} {r[1]}: {r[2]}"))}");

        var twice = counter.Hits.Where(h => h.Value != 1).Select(h => $"{h.Key} x{h.Value}").ToList();
        Assert.True(twice.Count == 0, $"tasks that ran more than once: {string.Join(", ", twice.Take(20))}");
        Assert.Equal(Tasks, counter.Hits.Count);
        // Every execution was a first try: nothing ran again after a lost claim.
        Assert.All(counter.Hits.Keys, k => Assert.EndsWith("/1", k, StringComparison.Ordinal));
        Assert.Equal(Tasks, await store.ScalarAsync<long>("select count(*) from task_instances where state = 'success' and try_number = 1"));
        // It was a race: both workers won some.
        Assert.Equal(2, perWorker.Select(r => r[0]).Distinct().Count());
    }

    private static string Dag(string counter)
    {
        // 100 one-second intervals that are all due already: the scheduler creates the 100 runs as soon as it starts.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(-Runs - 5);
        var yaml = new StringBuilder(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"name: race\nschedule: \"@every 1s\"\ncatchup: true\nstart_date: \"{start:yyyy-MM-ddTHH:mm:ssZ}\"\n" +
            $"end_date: \"{start.AddSeconds(Runs - 1):yyyy-MM-ddTHH:mm:ssZ}\"\nmax_active_runs: {Runs}\nmax_active_tasks: {Tasks}\ntasks:\n"));
        for (var i = 0; i < TasksPerRun; i++)
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - id: t{i:D3}\n    type: http\n    url: \"{counter}{{{{ run_id }}}}/{{{{ task_id }}}}/{{{{ try_number }}}}\"\n    expected_status: [204]\n");
        return yaml.ToString();
    }
}
