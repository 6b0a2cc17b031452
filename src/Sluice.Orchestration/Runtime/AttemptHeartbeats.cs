using System.Collections.Concurrent;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// The heartbeats of one worker's running attempts: one statement every <see cref="OrchestrationOptions.HeartbeatEvery"/>
/// covers them all, however many slots the worker has. An attempt the store no longer has running at its attempt
/// number (declared dead, cleared, marked) is told it was lost.
/// </summary>
internal sealed class AttemptHeartbeats(IMetadataStore store, TimeProvider time, OrchestrationOptions options)
{
    private readonly ConcurrentDictionary<long, Tracked> _attempts = new();

    /// <summary>Heartbeats the attempt until the returned handle is disposed; <paramref name="onLost"/> runs at most once.</summary>
    public IDisposable Track(TaskInstanceRecord task, Action onLost)
    {
        var tracked = new Tracked(task.Attempt, onLost);
        _attempts[task.Id] = tracked;
        return new Untrack(() => _attempts.TryRemove(new KeyValuePair<long, Tracked>(task.Id, tracked)));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatEvery, time, cancellationToken);
                var snapshot = _attempts.ToArray();
                if (snapshot.Length == 0)
                    continue;
                var alive = await store.Runs.HeartbeatManyAsync(snapshot.Select(a => (a.Key, a.Value.Attempt)).ToList(), cancellationToken);
                foreach (var (id, tracked) in snapshot)
                {
                    // Still tracked means still executing: an attempt stops being tracked before it reports its outcome.
                    if (!alive.Contains(id) && _attempts.TryRemove(new KeyValuePair<long, Tracked>(id, tracked)))
                    {
                        options.Log($"task instance {id} attempt {tracked.Attempt}: heartbeat refused, abandoning the attempt", null);
                        tracked.OnLost();
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store out of reach (a network cut): keep trying; when it answers again it says which attempts are still ours.
                options.Log($"worker {options.WorkerId}: heartbeat failed: {ex.Message}", null);
            }
        }
    }

    private sealed record Tracked(int Attempt, Action OnLost);

    private sealed class Untrack(Action untrack) : IDisposable
    {
        public void Dispose() => untrack();
    }
}
