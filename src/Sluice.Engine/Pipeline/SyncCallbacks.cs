using Sluice.Core.Model;
using Sluice.Core.State;

namespace Sluice.Engine.Pipeline;

/// <summary>How a running sync reports back: committed checkpoints (to persist), progress and log lines.</summary>
public sealed class SyncCallbacks
{
    public static readonly SyncCallbacks None = new();

    /// <summary>Called, in order, for each checkpoint the destination has committed. Persist it before returning.</summary>
    public Func<Checkpoint, CancellationToken, Task> CheckpointCommitted { get; init; } = (_, _) => Task.CompletedTask;
    public Action<SyncStats> Progress { get; init; } = _ => { };
    public Action<string> Log { get; init; } = _ => { };
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
