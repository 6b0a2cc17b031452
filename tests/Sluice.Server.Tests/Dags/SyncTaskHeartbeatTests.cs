using System.Net.Http.Json;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Engine.Jobs;
using Sluice.Engine.Pipeline;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Runtime;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Server.Tests.Dags;

/// <summary>
/// A sync task's job heartbeat races the end of the job: a beat sent just after the runner ended the job is refused
/// (the job is no longer running), which once turned a finished sync into "taken from this worker" and failed the task.
/// </summary>
public sealed class SyncTaskHeartbeatTests
{
    [Fact]
    public async Task A_heartbeat_refused_after_the_job_ended_does_not_fail_the_task()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        (await api.PostAsJsonAsync("/api/v1/sources", new { name = "sample", connector = "sample", config = new { customers = 5, products = 5, orders = 20 } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/destinations", new { name = "out", connector = "sqlite", config = new { path = Path.Combine(server.DataDir, "out.db") } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/connections", new { name = "c", source = "sample", destination = "out" })).EnsureSuccessStatusCode();

        // The job's end is held back until one heartbeat after it was refused: the race, every time.
        var store = FinishWaitsForRefusedHeartbeat.Wrap(server.Store);
        var services = server.App.Services;
        var runner = new SyncJobRunner(store, services.GetRequiredService<ConnectionResolver>(), services.GetRequiredService<SyncEngine>(), TimeProvider.System);
        var executor = new SyncTaskExecutor(store, runner, TimeProvider.System, new OrchestrationOptions { WorkerId = "w1", HeartbeatEvery = TimeSpan.FromMilliseconds(5) });
        var log = new LineLog();
        var context = new TaskContext
        {
            DagId = "adhoc", RunId = "1", Task = new SyncTaskDefinition { Id = "sync", Connection = "c" },
            DataInterval = new DataInterval(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        };

        var outcome = await executor.ExecuteAsync(context, log, CancellationToken.None);

        Assert.True(FinishWaitsForRefusedHeartbeat.Refused.Task.IsCompletedSuccessfully, "no heartbeat was refused after the job ended, so the race was not staged");
        Assert.True(outcome.IsSuccess, outcome.Message + "\n" + string.Join("\n", log.Lines));
        var job = Assert.Single(await server.Store.Jobs.ListAsync(null, 10));
        Assert.Equal(Sluice.Core.Model.JobStatus.Succeeded, job.Status);
        Assert.Contains(log.Lines, l => l == $"sync job {job.Id}: succeeded, {job.Stats.RecordsRead} records");
    }

    private sealed class LineLog : ILogSink
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                    return [.. _lines];
            }
        }

        public void Write(TaskLogLine line)
        {
            lock (_lines)
                _lines.Add(line.Text);
        }
    }

    /// <summary>The real store, but FinishClaimedAsync returns only after a heartbeat of the ended job was refused.</summary>
    public class FinishWaitsForRefusedHeartbeat : DispatchProxy
    {
        public static readonly TaskCompletionSource Refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private object _inner = null!;
        private IJobStore? _jobs;

        public static IMetadataStore Wrap(IMetadataStore inner)
        {
            var store = Create<IMetadataStore, FinishWaitsForRefusedHeartbeat>();
            ((FinishWaitsForRefusedHeartbeat)(object)store)._inner = inner;
            var jobs = Create<IJobStore, FinishWaitsForRefusedHeartbeat>();
            ((FinishWaitsForRefusedHeartbeat)(object)jobs)._inner = inner.Jobs;
            ((FinishWaitsForRefusedHeartbeat)(object)store)._jobs = jobs;
            return store;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == "get_Jobs" && _jobs is not null)
                return _jobs;
            var result = method.Invoke(_inner, args);
            return method.Name switch
            {
                nameof(IJobStore.FinishClaimedAsync) => AfterRefusedAsync((Task<bool>)result!),
                nameof(IJobStore.HeartbeatAsync) => NoteRefusalAsync((Task<JobClaimState>)result!),
                _ => result,
            };
        }

        private static async Task<bool> AfterRefusedAsync(Task<bool> finish)
        {
            var finished = await finish;
            await Refused.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return finished;
        }

        private static async Task<JobClaimState> NoteRefusalAsync(Task<JobClaimState> beat)
        {
            var state = await beat;
            if (state == JobClaimState.Lost)
                Refused.TrySetResult();
            return state;
        }
    }
}
