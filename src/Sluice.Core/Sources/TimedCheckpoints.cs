using System.Diagnostics;

namespace Sluice.Core.Sources;

/// <summary>
/// Decides, row by row, where a key-ordered range read owes a checkpoint because <c>checkpoint_seconds</c> passed
/// since the last one. The read asks before adding a row (a checkpoint waiting for the key to change) and after it;
/// a returned key is the one the checkpoint resumes after, and the read then calls <see cref="Restart"/>.
/// Keys are read only when a checkpoint is due, so the cost per row is a counter.
/// </summary>
public sealed class TimedCheckpoints(double seconds, MidRangeCheckpoint where)
{
    // The clock is read every 64 rows: a checkpoint comes at most 63 rows late, and rows stay cheap.
    private const int ClockEvery = 64;

    private readonly long _interval = (long)(seconds * Stopwatch.Frequency);
    private long _last = Stopwatch.GetTimestamp();
    private int _rows;
    private string?[]? _pending;

    /// <summary>A checkpoint was emitted (by time or at a range's end): the clock starts again.</summary>
    public void Restart()
    {
        _last = Stopwatch.GetTimestamp();
        _pending = null;
    }

    /// <summary>Before a row is added: the key to checkpoint after now, when one waited for the key to change and it did.</summary>
    public string?[]? BeforeRow(Func<string?[]> keyOfRow)
    {
        if (_pending is null)
            return null;
        var key = keyOfRow();
        return key.SequenceEqual(_pending) ? null : _pending;
    }

    /// <summary>After a row is added: the key to checkpoint after now (a unique key), or null.</summary>
    public string?[]? AfterRow(Func<string?[]> keyOfRow)
    {
        if (where == MidRangeCheckpoint.Never || _pending is not null || ++_rows % ClockEvery != 0 || Stopwatch.GetTimestamp() - _last < _interval)
            return null;
        if (where == MidRangeCheckpoint.AfterAnyRow)
            return keyOfRow();
        // The same key may follow: wait for the first row with another one, so no row sharing this key is skipped on resume.
        _pending = keyOfRow();
        return null;
    }
}
