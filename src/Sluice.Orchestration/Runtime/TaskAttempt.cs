using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Scheduling;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// Runs one claimed attempt: executor, log sink, heartbeats, timeout, and the conditional report of the outcome.
/// A refused heartbeat means the attempt was taken away (zombie, cleared, marked): the executor is cancelled (a
/// command's whole process group is killed) and nothing is reported. Cancelling <c>RunAsync</c>'s token means the
/// worker is out of drain time: the attempt is stopped and handed back to the queue.
/// </summary>
internal sealed class TaskAttempt(IMetadataStore store, DagCatalog catalog, TaskExecutors executors, TimeProvider time, OrchestrationOptions options)
{
    public async Task RunAsync(ClaimedTask claimed, CancellationToken cancellationToken)
    {
        var (task, run) = claimed;
        await using var log = new StoreLogSink(store, task.Id, task.Attempt, time, options.LogFlushEvery);
        TaskOutcome outcome;
        Dags.TaskDefinition? definition = null;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lost = false;
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        try
        {
            var dag = await catalog.GetAsync(run.Dag, run.Version, cancellationToken);
            definition = dag.Task(task.TaskId);
            var context = TaskContext.Create(dag, task.TaskId, run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new DataInterval(run.IntervalStart, run.IntervalEnd), task.Attempt, RunFactory.Params(run));
            log.System($"attempt {task.Attempt} (try {task.TryNumber}) of {run.Dag}.{task.TaskId}, run {run.Id}, on {options.WorkerId}");
            var heartbeat = HeartbeatAsync(task, log, () => { lost = true; attempt.Cancel(); }, attempt.Token);
            // The worker enforces the timeout for every task type; command and http also enforce it themselves.
            if (definition.Timeout is { } limit)
                timeout.CancelAfter(limit);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, timeout.Token);
            try
            {
                outcome = await executors.For(definition).ExecuteAsync(context, log, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !attempt.IsCancellationRequested)
            {
                outcome = TaskOutcome.TimedOut(definition.Timeout!.Value);
            }
            finally
            {
                await attempt.CancelAsync();
                await heartbeat;
            }
        }
        catch (OperationCanceledException) when (lost)
        {
            log.System("the task was changed elsewhere (cleared, marked or declared dead); this attempt stops without reporting");
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var handedBack = await store.Runs.HandBackAsync(task.Id, task.Attempt, CancellationToken.None);
            log.System(handedBack
                ? "the worker stopped (drain grace over): this attempt was stopped and the task handed back to the queue"
                : "the worker stopped (drain grace over); the task had already moved on");
            return;
        }
        catch (Exception ex)
        {
            outcome = TaskOutcome.Failed(ex.Message);
        }

        if (lost)
            return;
        log.System(outcome.IsSuccess ? "succeeded" : $"ended: {outcome.Status.ToString().ToLowerInvariant()}{(outcome.Message is null ? "" : ": " + outcome.Message)}");
        await ReportAsync(task, definition, outcome);
    }

    private async Task ReportAsync(TaskInstanceRecord task, Dags.TaskDefinition? definition, TaskOutcome outcome)
    {
        var retry = definition?.Retry ?? RetryPolicy.None;
        var (to, retryAt) = outcome.Status switch
        {
            TaskOutcomeStatus.Success => (TaskState.Success, (DateTimeOffset?)null),
            TaskOutcomeStatus.Skipped => (TaskState.Skipped, null),
            _ when retry.CanRetry(task.TryNumber) => (TaskState.UpForRetry, time.GetUtcNow() + retry.DelayBefore(task.TryNumber)),
            _ => (TaskState.Failed, null),
        };
        var change = new TaskStateChange(task.Id, "running", task.Attempt, to.ToName(), task.Attempt)
        {
            ExitCode = outcome.ExitCode, Error = outcome.IsSuccess ? null : outcome.Message, NextRetryAt = retryAt,
        };
        // Not on the attempt's token: a worker shutting down still reports what happened. A store out of reach for a
        // moment is tried again; for longer, the attempt becomes a zombie and the scheduler retries it.
        for (var tryNumber = 1; ; tryNumber++)
        {
            try
            {
                if (!await store.Runs.TransitionAsync(change, CancellationToken.None))
                    options.Log($"task instance {task.Id} attempt {task.Attempt}: outcome {to.ToName()} refused, the task moved on without this worker", null);
                return;
            }
            catch (Exception ex) when (tryNumber < 5)
            {
                options.Log($"task instance {task.Id} attempt {task.Attempt}: could not report {to.ToName()} ({ex.Message}); trying again", null);
                await Task.Delay(TimeSpan.FromSeconds(tryNumber), time);
            }
        }
    }

    private async Task HeartbeatAsync(TaskInstanceRecord task, StoreLogSink log, Action onLost, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatEvery, time, cancellationToken);
                if (!await store.Runs.HeartbeatAsync(task.Id, task.Attempt, cancellationToken))
                {
                    log.System("heartbeat refused: the task is no longer running at this attempt (declared dead, cleared or marked)");
                    options.Log($"task instance {task.Id} attempt {task.Attempt}: heartbeat refused, abandoning the attempt", null);
                    onLost();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store out of reach (a network cut): keep trying; when it answers again it says whether the attempt is still ours.
                options.Log($"heartbeat of task instance {task.Id} failed: {ex.Message}", null);
            }
        }
    }
}
