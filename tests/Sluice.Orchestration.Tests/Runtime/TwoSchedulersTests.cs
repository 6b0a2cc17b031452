using Sluice.Orchestration.Runtime;
using Sluice.Testing;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>Two scheduler loops (as two processes would) against one real PostgreSQL store.</summary>
public sealed class TwoSchedulersTests
{
    [Fact]
    public async Task Two_schedulers_never_create_a_run_twice()
    {
        var server = await PostgresServer.InstanceAsync();
        var location = server.ConnectionString(await server.CreateDatabaseAsync("orch"));
        // A scheduler stops acting two thirds of a lease after its last renewal was sent: a lease much shorter than
        // this would end terms on a loaded machine just because a renewal was slow.
        var fast = Harness.FastOptions() with { LeaseDuration = TimeSpan.FromSeconds(3), LeaseRenewEvery = TimeSpan.FromMilliseconds(200), SchedulerPoll = TimeSpan.FromMilliseconds(50) };
        await using var a = await Harness.OpenAsync(location, fast with { SchedulerId = "scheduler-a", WorkerId = "worker-a" });
        await using var b = await Harness.OpenAsync(location, fast with { SchedulerId = "scheduler-b", WorkerId = "worker-b" });
        // 48 hourly intervals are due at once; catchup makes both schedulers want all of them.
        var startDate = DateTimeOffset.UtcNow.AddHours(-48).ToString("yyyy-MM-ddTHH:00:00Z");
        await a.Operations.ApplyAsync($"""
            name: hourly
            schedule: "@hourly"
            catchup: true
            start_date: "{startDate}"
            max_active_runs: 100
            tasks:
              - id: work
                type: command
                command: "true"
            """);

        a.Start(worker: false);
        b.Start(worker: false);
        // Whichever is active stops mid-way (releasing the lease); the other takes over and carries on. Waiting on
        // counts rather than fixed sleeps: a loaded machine may take seconds for 48 fenced run creations.
        await WaitForRunsAsync(a, 10);
        await a.StopAsync();
        await WaitForRunsAsync(a, 48);
        await Task.Delay(500);
        await b.StopAsync();

        var runs = await a.Store.Runs.ListRunsAsync("hourly", null, 1000);
        Assert.InRange(runs.Count, 48, 49);
        Assert.Equal(runs.Count, runs.Select(r => r.LogicalDate).Distinct().Count());

        // Without the lease (two writers at once), the unique (dag, logical date) still lets exactly one win.
        var dag = await a.Operations.DefinitionAsync("hourly");
        var logical = runs.Max(r => r.LogicalDate).AddHours(5);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RunFactory.CreateAsync(
            (i % 2 == 0 ? a : b).Store, dag, 1, new(logical, logical.AddHours(1)), logical, RunTypes.Manual, null, null, default)));
        Assert.Single(results, r => r is not null);
    }

    private static async Task WaitForRunsAsync(Harness h, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await h.Store.Runs.ListRunsAsync("hourly", null, 1000)).Count < count && DateTime.UtcNow < deadline)
            await Task.Delay(100);
    }
}
