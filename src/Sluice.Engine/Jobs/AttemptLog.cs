using System.Globalization;
using System.Text;
using Sluice.Metadata;

namespace Sluice.Engine.Jobs;

/// <summary>An attempt's log: lines are timestamped and appended to the store in small groups, so it can be tailed live.</summary>
internal sealed class AttemptLog(IMetadataStore store, long jobId, int attempt, TimeProvider time)
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _appendOne = new(1, 1);
    private DateTimeOffset _lastFlush = DateTimeOffset.MinValue;

    public void Write(string line)
    {
        var now = time.GetUtcNow();
        bool flush;
        lock (_lock)
        {
            _pending.Append(now.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ').Append(line).Append('\n');
            flush = now - _lastFlush > TimeSpan.FromMilliseconds(500);
        }
        if (flush)
            _ = FlushAsync();
    }

    /// <summary>Appends what is pending; one append at a time, so lines reach the store in order.</summary>
    public async Task FlushAsync()
    {
        await _appendOne.WaitAsync();
        try
        {
            string text;
            lock (_lock)
            {
                if (_pending.Length == 0)
                    return;
                text = _pending.ToString();
                _pending.Clear();
                _lastFlush = time.GetUtcNow();
            }
            await store.Jobs.AppendAttemptLogAsync(jobId, attempt, text, CancellationToken.None);
        }
        finally
        {
            _appendOne.Release();
        }
    }
}
