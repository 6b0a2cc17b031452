using System.Text.RegularExpressions;

namespace Sluice.Distributed.Tests;

/// <summary>Two scheduler processes on one store: one active, one standby; the standby takes over when the active one is killed or frozen.</summary>
public sealed class SchedulerFailoverTests
{
    private const string ActiveLine = @"^scheduler (s1|s2) is active \(token (\d+)\)$";

    [Fact]
    public async Task Kill_9_of_the_active_scheduler_hands_over_within_5_seconds_without_duplicate_or_missed_runs()
    {
        await using var cluster = await Cluster.StartAsync();
        await ApplyTickingDagAsync(cluster);
        var (active, standby) = await StartPairAsync(cluster);
        await Task.Delay(3000);

        active.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var (tookOverAt, match) = await standby.WaitForLineAsync($"^scheduler {standby.Name} is active", TimeSpan.FromSeconds(30));
        var takeover = tookOverAt - killedAt;
        Console.WriteLine($"takeover after kill -9: {takeover.TotalSeconds:0.00} s");
        Assert.True(takeover < TimeSpan.FromSeconds(5), $"takeover took {takeover.TotalSeconds:0.00} s\n{cluster.AllOutput}");
        Assert.Equal(standby.Name, (await cluster.Store.Lease.CurrentAsync()).Holder);

        await Task.Delay(3000);
        await AssertEverySecondHasExactlyOneRunAsync(cluster);
    }

    [Fact]
    public async Task A_frozen_scheduler_is_replaced_and_on_waking_stops_acting_at_once()
    {
        await using var cluster = await Cluster.StartAsync();
        await ApplyTickingDagAsync(cluster);
        var (active, standby) = await StartPairAsync(cluster);
        await Task.Delay(2000);

        active.Freeze();
        var frozenAt = DateTimeOffset.UtcNow;
        var (tookOverAt, _) = await standby.WaitForLineAsync($"^scheduler {standby.Name} is active", TimeSpan.FromSeconds(30));
        Assert.True(tookOverAt - frozenAt < TimeSpan.FromSeconds(5), $"takeover took {(tookOverAt - frozenAt).TotalSeconds:0.00} s\n{cluster.AllOutput}");
        await Task.Delay(2000);

        active.Thaw();
        // Its local deadline passed while it was frozen: it notices before writing anything and says so.
        await active.WaitForLineAsync($"^scheduler {active.Name} lost the lease$", TimeSpan.FromSeconds(10));
        await Task.Delay(3000);
        Assert.Equal(standby.Name, (await cluster.Store.Lease.CurrentAsync()).Holder);
        Assert.False(standby.Printed("lost the lease"), cluster.AllOutput);
        await AssertEverySecondHasExactlyOneRunAsync(cluster);
    }

    private static async Task ApplyTickingDagAsync(Cluster cluster)
    {
        // One run per second, caught up after a takeover: a missed second would show as a gap, a duplicate as two rows.
        var start = DateTimeOffset.UtcNow.AddSeconds(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await cluster.Operations.ApplyAsync($"""
            name: ticking
            schedule: "@every 1s"
            catchup: true
            start_date: "{start}"
            max_active_runs: 100000
            tasks:
              - id: noop
                type: command
                command: "true"
                queue: nobody-serves-this
            """);
    }

    private static async Task<(SluiceNode Active, SluiceNode Standby)> StartPairAsync(Cluster cluster)
    {
        var s1 = await cluster.ReadyAsync(cluster.Scheduler("s1"));
        var s2 = await cluster.ReadyAsync(cluster.Scheduler("s2"));
        var first = await Task.WhenAny(s1.WaitForLineAsync(ActiveLine, TimeSpan.FromSeconds(30)), s2.WaitForLineAsync(ActiveLine, TimeSpan.FromSeconds(30)));
        var name = (await first).Match.Groups[1].Value;
        return name == "s1" ? (s1, s2) : (s2, s1);
    }

    private static async Task AssertEverySecondHasExactlyOneRunAsync(Cluster cluster)
    {
        var runs = await cluster.Store.Runs.ListRunsAsync("ticking", null, 100_000);
        var dates = runs.Select(r => r.LogicalDate).Order().ToList();
        Assert.True(dates.Count >= 5, $"only {dates.Count} runs\n{cluster.AllOutput}");
        Assert.Equal(dates.Count, dates.Distinct().Count());
        var gaps = dates.Zip(dates.Skip(1)).Where(p => p.Second - p.First != TimeSpan.FromSeconds(1)).ToList();
        Assert.True(gaps.Count == 0, "missed runs between " + string.Join(", ", gaps.Select(g => $"{g.First:HH:mm:ss}..{g.Second:HH:mm:ss}")));
    }
}
