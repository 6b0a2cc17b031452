namespace Sluice.Orchestration.Runtime;

/// <summary>
/// An in-process wake-up hint: a worker that finished a task wakes the scheduler, a scheduler that queued tasks
/// wakes the workers. Only a hint: every loop also polls, because other processes cannot signal it.
/// </summary>
public sealed class Wake
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Signal() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Returns when signalled or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        try
        {
            await signal.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        if (signal.Task.IsCompleted)
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
    }
}

/// <summary>The wake-ups shared by the scheduler and the workers of one process.</summary>
public sealed class OrchestrationSignals
{
    public Wake Scheduler { get; } = new();
    public Wake Worker { get; } = new();

    /// <summary>Sync jobs waiting in the queue (distributed workers).</summary>
    public Wake Jobs { get; } = new();
}
