namespace Sluice.Orchestration.Execution;

/// <summary>Runs a <c>noop</c> task: nothing to do, so it succeeds at once, in the worker's own process.</summary>
public sealed class NoopTaskExecutor : ITaskExecutor
{
    private static readonly ValueTask<TaskOutcome> Done = ValueTask.FromResult(TaskOutcome.Succeeded());

    public ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<TaskOutcome>(cancellationToken) : Done;
}
