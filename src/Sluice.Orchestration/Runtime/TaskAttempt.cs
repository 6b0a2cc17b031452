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
internal sealed class TaskAttempt(
    IMetadataStore store, DagCatalog catalog, TaskExecutors executors, AttemptHeartbeats heartbeats, AttemptReports reports, TimeProvider time, OrchestrationOptions options)
{
    /// <summary>The heartbeats of this worker's attempts; the worker runs their loop.</summary>
    public AttemptHeartbeats Heartbeats => heartbeats;

    /// <summary>The reports of this worker's ended attempts; the worker runs their loop.</summary>
    public AttemptReports Reports => reports;

    /// <summary>
    /// Runs the attempt to its reported end. <paramref name="released"/> (if any) is called once the attempt no longer
    /// needs its slot: before its report is written, so the worker's next claim can carry the report.
    /// </summary>
    public async Task RunAsync(ClaimedTask claimed, CancellationToken cancellationToken, Action? released = null)
    {
        var (task, run) = claimed;
        await using var log = new StoreLogSink(store, task.Id, task.Attempt, time, options.LogFlushEvery);
        TaskOutcome outcome;
        Dags.TaskDefinition? definition = null;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lost = false;
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        // Heartbeats start with the claim, not with the executor: loading a large DAG version the first time can take a
        // while, and an attempt without heartbeats meanwhile would be declared dead.
        var heartbeat = heartbeats.Track(task, () =>
        {
            log.System("heartbeat refused: the task is no longer running at this attempt (declared dead, cleared or marked)");
            lost = true;
            attempt.Cancel();
        });
        try
        {
            var dagTask = await catalog.GetTaskAsync(run.Dag, run.Version, task.TaskId, attempt.Token);
            definition = dagTask.Task;
            var context = TaskContext.Create(dagTask, run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new DataInterval(run.IntervalStart, run.IntervalEnd), task.Attempt, RunFactory.Params(run));
            log.System($"attempt {task.Attempt} (try {task.TryNumber}) of {run.Dag}.{task.TaskId}, run {run.Id}, on {options.WorkerId}");
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
                heartbeat.Dispose();
                await attempt.CancelAsync();
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
        finally
        {
            heartbeat.Dispose();
        }

        if (lost)
            return;
        log.System(outcome.IsSuccess ? "succeeded" : $"ended: {outcome.Status.ToString().ToLowerInvariant()}{(outcome.Message is null ? "" : ": " + outcome.Message)}");
        var rest = await log.TakeRestAsync();
        released?.Invoke();
        await ReportAsync(task, definition, outcome, rest);
    }

    /// <summary>Reports the outcome with the log's last lines, in one transaction (shared with other attempts' reports).</summary>
    private async Task ReportAsync(TaskInstanceRecord task, Dags.TaskDefinition? definition, TaskOutcome outcome, string logRest)
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
            ExitCode = outcome.ExitCode, Error = outcome.IsSuccess ? null : outcome.Message, NextRetryAt = retryAt, AppendLog = logRest,
        };
        // Written with other attempts' reports in one transaction (AttemptReports), still conditional on this attempt.
        if (!await reports.ReportAsync(change))
            options.Log($"task instance {task.Id} attempt {task.Attempt}: outcome {to.ToName()} refused, the task moved on without this worker", null);
    }
}
