namespace Sluice.Core.Model;

/// <summary>Counters of one sync attempt, overall and per stream.</summary>
public sealed record SyncStats
{
    public static readonly SyncStats Empty = new();

    public long RecordsRead { get; init; }
    public long RecordsCommitted { get; init; }
    public long BytesRead { get; init; }
    public long CheckpointsCommitted { get; init; }
    public double ElapsedSeconds { get; init; }
    public IReadOnlyDictionary<string, StreamStats> Streams { get; init; } = new Dictionary<string, StreamStats>();

    public double MegabytesPerSecond => ElapsedSeconds > 0 ? BytesRead / 1_048_576.0 / ElapsedSeconds : 0;
    public double RecordsPerSecond => ElapsedSeconds > 0 ? RecordsRead / ElapsedSeconds : 0;
}

public sealed record StreamStats(long RecordsRead, long BytesRead, long RecordsCommitted);
