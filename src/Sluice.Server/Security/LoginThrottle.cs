using System.Collections.Concurrent;

namespace Sluice.Server.Security;

/// <summary>
/// Counts failed logins per account and per client address in a sliding window; after <see cref="MaxFailures"/> the key is
/// locked out until the window has passed. In memory: each server replica counts on its own.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();

    /// <summary>How long until <paramref name="key"/> may try again, or null when it may now.</summary>
    public TimeSpan? LockedFor(string key)
    {
        if (!_failures.TryGetValue(key, out var queue))
            return null;
        lock (queue)
        {
            var now = time.GetUtcNow();
            while (queue.Count > 0 && now - queue.Peek() >= Window)
                queue.Dequeue();
            return queue.Count >= MaxFailures ? queue.Peek() + Window - now : null;
        }
    }

    public void Failed(string key)
    {
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
            queue.Enqueue(time.GetUtcNow());
    }

    public void Succeeded(string key) => _failures.TryRemove(key, out _);
}
