namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// What the parser may check beyond the YAML itself. Each lookup is optional: when null, references of
/// that kind are not checked (e.g. a dry-run lint without a metadata store).
/// </summary>
public sealed record DagParseOptions
{
    public static DagParseOptions Default { get; } = new();

    /// <summary>File name used in error messages.</summary>
    public string? SourceName { get; init; }

    /// <summary>Directory that relative sql <c>file:</c> paths are resolved against (and checked to exist).</summary>
    public string? BaseDirectory { get; init; }

    public Func<string, bool>? ConnectionExists { get; init; }

    public Func<string, bool>? SourceExists { get; init; }

    public Func<string, bool>? DestinationExists { get; init; }

    /// <summary>Checks the pool a task names: a pool nobody created would put no limit on the task.</summary>
    public Func<string, bool>? PoolExists { get; init; }

    /// <summary>Checks DAG names in event schedules; DAGs applied in the same batch should be included.</summary>
    public Func<string, bool>? DagExists { get; init; }

    /// <summary>Used when start_date is given without an offset and no timezone is set; defaults to UTC.</summary>
    public TimeZoneInfo DefaultTimeZone { get; init; } = TimeZoneInfo.Utc;
}
