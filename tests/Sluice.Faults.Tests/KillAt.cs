using System.Globalization;
using Sluice.Engine.Pipeline;

namespace Sluice.Faults.Tests;

/// <summary>
/// One kill point of a kill loop: a <see cref="KillPoint"/> the sync process reaches and SIGKILLs itself at
/// (the n-th event, counted from this run's start or, with <see cref="FromEnd"/>, back from the last checkpoint the
/// run will see), or a plain delay after which the test kills the process from outside.
/// </summary>
internal sealed record KillAt(KillEvent Event, int N, int DelayMs = 0, bool FromEnd = false, TimeSpan? After = null)
{
    public static KillAt At(KillEvent e, int n, int delayMs = 0) => new(e, n, delayMs);

    /// <summary>The checkpoint <paramref name="back"/> before the last one this run will see (0: the last).</summary>
    public static KillAt End(KillEvent e, int back, int delayMs = 0) => new(e, back, delayMs, FromEnd: true);

    public static KillAt Delay(TimeSpan after) => new(KillEvent.Started, 0, After: after);

    public bool Timed => After is not null;

    /// <summary>The SLUICE_TEST_KILL_AT value, given the checkpoints still to come in this run.</summary>
    public string Spec(int remainingCheckpoints)
    {
        var n = FromEnd ? Math.Max(1, remainingCheckpoints - N) : N;
        return $"{Event.ToString().ToLowerInvariant()}:{n.ToString(CultureInfo.InvariantCulture)}{(DelayMs > 0 ? "+" + DelayMs.ToString(CultureInfo.InvariantCulture) : "")}";
    }

    /// <summary>Ranges this run commits before it dies, when that is certain (no delay): null otherwise.</summary>
    public int? CommittedRanges(int remainingCheckpoints)
    {
        if (Timed || DelayMs > 0)
            return null;
        var n = FromEnd ? Math.Max(1, remainingCheckpoints - N) : N;
        return Event switch
        {
            KillEvent.Started => 0,
            KillEvent.Checkpoint => n - 1,
            KillEvent.Committed or KillEvent.Saved => n,
            _ => null,
        };
    }

    public override string ToString() => Timed
        ? $"kill after {After!.Value.TotalMilliseconds:F0} ms"
        : $"{Event.ToString().ToLowerInvariant()}:{(FromEnd ? "last-" : "")}{N}{(DelayMs > 0 ? "+" + DelayMs : "")}";
}
