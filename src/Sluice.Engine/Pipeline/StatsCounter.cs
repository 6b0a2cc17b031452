using System.Diagnostics;
using Sluice.Core.Catalog;
using Sluice.Core.Model;

namespace Sluice.Engine.Pipeline;

/// <summary>Thread-safe counters of a running sync; the reader and the writer side update it concurrently.</summary>
internal sealed class StatsCounter
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, (long Read, long Bytes, long Committed)> _streams = [];
    private long _checkpoints;

    public void Read(StreamDescriptor stream, long records, long bytes)
    {
        lock (_lock)
        {
            var s = _streams.GetValueOrDefault(stream.ToString());
            _streams[stream.ToString()] = (s.Read + records, s.Bytes + bytes, s.Committed);
        }
    }

    public long RecordsRead(StreamDescriptor stream)
    {
        lock (_lock)
            return _streams.GetValueOrDefault(stream.ToString()).Read;
    }

    /// <summary>Records committed for a stream are the count carried by its last committed checkpoint.</summary>
    public void Committed(StreamDescriptor? stream, long recordsSoFar)
    {
        lock (_lock)
        {
            _checkpoints++;
            if (stream is null)
                return;
            var s = _streams.GetValueOrDefault(stream.ToString());
            _streams[stream.ToString()] = (s.Read, s.Bytes, Math.Max(s.Committed, recordsSoFar));
        }
    }

    public SyncStats Snapshot()
    {
        lock (_lock)
        {
            return new SyncStats
            {
                RecordsRead = _streams.Values.Sum(s => s.Read),
                BytesRead = _streams.Values.Sum(s => s.Bytes),
                RecordsCommitted = _streams.Values.Sum(s => s.Committed),
                CheckpointsCommitted = _checkpoints,
                ElapsedSeconds = _clock.Elapsed.TotalSeconds,
                Streams = _streams.ToDictionary(kv => kv.Key, kv => new StreamStats(kv.Value.Read, kv.Value.Bytes, kv.Value.Committed)),
            };
        }
    }
}
