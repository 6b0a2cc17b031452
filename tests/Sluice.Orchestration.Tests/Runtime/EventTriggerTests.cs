using Microsoft.Extensions.Time.Testing;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Runtime;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>DAGs that wait on several upstream DAGs: mode any runs after each, mode all only once every one has succeeded.</summary>
public sealed class EventTriggerTests
{
    [Fact]
    public async Task Any_runs_after_each_upstream_success_and_all_waits_for_every_upstream()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var h = await Harness.SqliteAsync(time);
        await h.Operations.ApplyAsync("""
            name: orders
            tasks: [{ id: load, type: command, command: "true" }]
            ---
            name: customers
            tasks: [{ id: load, type: command, command: "true" }]
            ---
            name: broken
            tasks: [{ id: load, type: command, command: "false" }]
            ---
            name: either
            on: { dags: [orders, customers], mode: any }
            tasks: [{ id: report, type: command, command: "true" }]
            ---
            name: both
            on: { dags: [orders, customers, broken], mode: all }
            tasks: [{ id: report, type: command, command: "true" }]
            ---
            name: pair
            on: { dags: [orders, customers], mode: all }
            tasks: [{ id: report, type: command, command: "true" }]
            """);

        async Task<int> RunsOf(string dag) => (await h.Store.Runs.ListRunsAsync(dag, null, 100)).Count;
        async Task FinishAsync(string dag)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var run = await h.Operations.TriggerAsync(dag);
            for (var i = 0; i < 4; i++)
            {
                await h.Scheduler.TickAsync(default);
                await h.Worker.RunOnceAsync(default);
            }

            time.Advance(TimeSpan.FromMinutes(1));
            await h.Scheduler.TickAsync(default);
            Assert.True(RunStates.IsFinished((await h.Store.Runs.GetRunAsync(run.Id))!.State));
        }

        await FinishAsync("orders");
        Assert.Equal((1, 0, 0), (await RunsOf("either"), await RunsOf("pair"), await RunsOf("both")));

        await FinishAsync("broken");
        Assert.Equal((1, 0, 0), (await RunsOf("either"), await RunsOf("pair"), await RunsOf("both")));

        await FinishAsync("customers");
        Assert.Equal((2, 1, 0), (await RunsOf("either"), await RunsOf("pair"), await RunsOf("both")));
        var pair = Assert.Single(await h.Store.Runs.ListRunsAsync("pair", null, 10));
        Assert.Equal(RunTypes.Event, pair.RunType);
        // The event run covers the span from the first to the last upstream success it waited for.
        Assert.True(pair.IntervalEnd - pair.IntervalStart >= TimeSpan.FromMinutes(4), $"{pair.IntervalStart:O} .. {pair.IntervalEnd:O}");

        // A failed upstream never satisfies mode all; nothing more happens without new successes.
        await h.Scheduler.TickAsync(default);
        Assert.Equal((2, 1, 0), (await RunsOf("either"), await RunsOf("pair"), await RunsOf("both")));
    }
}
