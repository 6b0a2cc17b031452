using System.Diagnostics;
using System.Globalization;
using Sluice.Core.Connectors;

namespace Sluice.Engine.Pipeline;

/// <summary>Where a sync can be made to kill itself (see <see cref="KillPoint"/>).</summary>
public enum KillEvent
{
    /// <summary>The destination takes a stream's start: it creates or prepares the stream's tables next.</summary>
    Started,
    /// <summary>The destination takes a checkpoint: it merges and commits what came before it next (an overwrite holds it).</summary>
    Checkpoint,
    /// <summary>The destination takes a stream's end: an overwrite's swap, or the last commit, comes next.</summary>
    Complete,
    /// <summary>The destination committed a checkpoint; the metadata store has not saved it yet.</summary>
    Committed,
    /// <summary>The metadata store saved a committed checkpoint.</summary>
    Saved,
}

/// <summary>
/// The fault tests' deterministic kill -9: <c>SLUICE_TEST_KILL_AT=event:n[+ms]</c> (event one of started, checkpoint,
/// complete, committed, saved) makes the process SIGKILL itself at the n-th such event of a sync attempt, or ms
/// milliseconds after it from another thread while the sync goes on (inside the destination's merge and commit).
/// A self-inflicted SIGKILL is the same as one from outside (no finally block, rollback or flush runs), but it lands
/// exactly where asked, so a kill loop needs no polling and no kill that misses. Unset, it does nothing.
/// </summary>
public sealed class KillPoint
{
    public const string Variable = "SLUICE_TEST_KILL_AT";

    private readonly KillEvent _event;
    private readonly int _count;
    private readonly int _delayMs;
    private int _seen;

    private KillPoint(KillEvent killEvent, int count, int delayMs)
    {
        _event = killEvent;
        _count = count;
        _delayMs = delayMs;
    }

    /// <summary>The kill point this process was started with, fresh for each attempt; null when none.</summary>
    public static KillPoint? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? Parse(text) : null;

    public static KillPoint Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        var name = colon < 0 ? "" : text[..colon];
        var count = colon < 0 ? "" : plus < 0 ? text[(colon + 1)..] : text[(colon + 1)..plus];
        var delay = plus < 0 ? "0" : text[(plus + 1)..];
        if (!Enum.TryParse<KillEvent>(name, ignoreCase: true, out var killEvent) || !Enum.IsDefined(killEvent)
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1
            || !int.TryParse(delay, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            throw new ConfigException(Variable, $"'{text}' is not a kill point",
                "write event:n or event:n+ms, event one of started, checkpoint, complete, committed, saved, n from 1 (e.g. checkpoint:3+2), or unset it");
        return new KillPoint(killEvent, n, ms);
    }

    /// <summary>Counts <paramref name="reached"/>; at the chosen occurrence the process dies (now, or after the delay).</summary>
    public void Reached(KillEvent reached)
    {
        if (reached != _event || ++_seen != _count)
            return;
        if (_delayMs == 0)
            Die();
        new Thread(() =>
        {
            Thread.Sleep(_delayMs);
            Die();
        }) { IsBackground = true, Name = "kill point" }.Start();
    }

    private static void Die()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill(); // SIGKILL on Unix
        Thread.Sleep(Timeout.Infinite);
    }
}
