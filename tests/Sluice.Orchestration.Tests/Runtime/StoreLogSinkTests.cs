using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Runtime;
using Sluice.Testing;

namespace Sluice.Orchestration.Tests.Runtime;

/// <summary>An attempt's log reaches the store whole, however its end falls against the periodic flushes.</summary>
public sealed class StoreLogSinkTests
{
    /// <summary>
    /// The regression behind queue.sh's failed exactly-once check (a task whose log had no start line): the end of
    /// an attempt cancelled a periodic flush whose write was in flight, and the lines it had taken were lost.
    /// Here flushes run every millisecond while lines are written, so many attempts end mid-flush.
    /// </summary>
    [Fact]
    public async Task No_line_is_lost_when_the_attempt_ends_during_a_flush()
    {
        var server = await PostgresServer.InstanceAsync();
        var store = MetadataStoreFactory.Open(server.ConnectionString(await server.CreateDatabaseAsync("logsink")), TimeProvider.System);
        await store.MigrateAsync();
        await store.Dags.ApplyAsync("logs", "name: logs\n");
        const int attempts = 150;
        var run = (await store.Runs.CreateRunAsync(
            new DagRunRecord { Dag = "logs", LogicalDate = DateTimeOffset.UtcNow, IntervalStart = DateTimeOffset.UtcNow, IntervalEnd = DateTimeOffset.UtcNow, State = "running", RunType = "manual", Version = 1 },
            Enumerable.Range(0, attempts).Select(i => new NewTaskInstance($"t{i:D3}", "none", "default", 1)).ToList()))!;
        var tasks = await store.Runs.ListTasksAsync([run.Id]);

        await Task.WhenAll(tasks.Select(async task =>
        {
            await using var sink = new StoreLogSink(store, task.Id, 1, TimeProvider.System, TimeSpan.FromMilliseconds(1));
            for (var line = 0; line < 20; line++)
            {
                sink.System($"line {line}");
                await Task.Delay(Random.Shared.Next(0, 3));
            }
            await store.Runs.AppendLogAsync(task.Id, 1, await sink.TakeRestAsync());
        }));

        foreach (var task in tasks)
        {
            var text = Assert.Single(await store.Runs.ReadLogsAsync(task.Id)).Text;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[24..]).ToList();
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"sys line {i}"), lines);
        }
    }
}
