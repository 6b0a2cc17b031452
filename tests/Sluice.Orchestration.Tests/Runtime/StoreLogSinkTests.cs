using Microsoft.Data.Sqlite;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Execution;
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

    [Fact]
    public async Task A_failed_flush_keeps_its_lines_and_later_flushes_go_on()
    {
        await using var h = await Harness.SqliteAsync();
        await h.Operations.ApplyAsync("name: logged\ntasks:\n  - id: a\n    type: command\n    command: \"true\"\n");
        var run = await h.Operations.TriggerAsync("logged");
        var task = (await h.TasksAsync(run.Id))["a"];

        // The store refuses log writes while the switch table has a row: a real failed INSERT, as a full disk or a
        // broken connection gives.
        await using (var raw = new SqliteConnection($"Data Source={h.SqlitePath}"))
        {
            await raw.OpenAsync();
            await using var setup = raw.CreateCommand();
            setup.CommandText = """
                CREATE TABLE refuse_logs (x INTEGER);
                INSERT INTO refuse_logs VALUES (1);
                CREATE TRIGGER refuse_log_writes BEFORE INSERT ON task_logs WHEN EXISTS (SELECT 1 FROM refuse_logs)
                BEGIN SELECT RAISE(ABORT, 'log writes refused by the test'); END;
                """;
            await setup.ExecuteNonQueryAsync();
        }

        await using var sink = new StoreLogSink(h.Store, task.Id, 1, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        sink.Write(new TaskLogLine(DateTimeOffset.UtcNow, TaskLogStream.Stdout, "written while the store refused"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Empty(await h.Store.Runs.ReadLogsAsync(task.Id));

        await using (var raw = new SqliteConnection($"Data Source={h.SqlitePath}"))
        {
            await raw.OpenAsync();
            await using var allow = raw.CreateCommand();
            allow.CommandText = "DELETE FROM refuse_logs";
            await allow.ExecuteNonQueryAsync();
        }
        sink.Write(new TaskLogLine(DateTimeOffset.UtcNow, TaskLogStream.Stdout, "written after"));

        // The periodic flush, not the final one, brings both lines: the task would still be running.
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!text.Contains("written after", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            text = string.Concat((await h.Store.Runs.ReadLogsAsync(task.Id)).Select(l => l.Text));
        }
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("out written while the store refused", lines[0]);
        Assert.EndsWith("out written after", lines[1]);
    }
}
