namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs one attempt of one task type. An executor reports the task's own failures (non-zero exit, bad
/// status, timeout) as a <see cref="TaskOutcome"/>; it throws only for cancellation, after cleaning up
/// (e.g. killing processes). Retries, state changes and heartbeats are the worker's business, not its own.
/// </summary>
public interface ITaskExecutor
{
    ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken);
}
