namespace Sluice.Core.Catalog;

/// <summary>How a source reads a stream (Airbyte's <c>SyncMode</c>).</summary>
public enum SyncMode
{
    FullRefresh,
    Incremental,
}

/// <summary>How a destination applies what it receives (Airbyte's <c>DestinationSyncMode</c>).</summary>
public enum DestinationSyncMode
{
    Overwrite,
    Append,
    AppendDedup,
    OverwriteDedup,
}

public static class SyncModeNames
{
    public static string ToProtocol(this SyncMode mode) => mode switch
    {
        SyncMode.FullRefresh => "full_refresh",
        SyncMode.Incremental => "incremental",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string ToProtocol(this DestinationSyncMode mode) => mode switch
    {
        DestinationSyncMode.Overwrite => "overwrite",
        DestinationSyncMode.Append => "append",
        DestinationSyncMode.AppendDedup => "append_dedup",
        DestinationSyncMode.OverwriteDedup => "overwrite_dedup",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static SyncMode ParseSyncMode(string text) => text.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "full_refresh" => SyncMode.FullRefresh,
        "incremental" => SyncMode.Incremental,
        _ => throw new FormatException($"unknown sync mode '{text}': use full_refresh or incremental"),
    };

    public static DestinationSyncMode ParseDestinationSyncMode(string text) => text.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "overwrite" => DestinationSyncMode.Overwrite,
        "append" => DestinationSyncMode.Append,
        "append_dedup" or "append_deduped" => DestinationSyncMode.AppendDedup,
        "overwrite_dedup" or "overwrite_deduped" => DestinationSyncMode.OverwriteDedup,
        _ => throw new FormatException($"unknown destination sync mode '{text}': use overwrite, append, append_dedup or overwrite_dedup"),
    };
}
