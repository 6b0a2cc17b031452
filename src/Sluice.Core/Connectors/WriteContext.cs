namespace Sluice.Core.Connectors;

/// <summary>What a destination knows about the sync it writes for: the values of Sluice's metadata columns.</summary>
public sealed record WriteContext(long SyncId, DateTimeOffset ExtractedAt)
{
    public const string ExtractedAtColumn = "_sluice_extracted_at";
    public const string SyncIdColumn = "_sluice_sync_id";

    /// <summary>Whether a source column is one of these: a table Sluice loaded gets them replaced, not doubled, when loaded again.</summary>
    public static bool IsMetadataColumn(string name) =>
        name.Equals(ExtractedAtColumn, StringComparison.OrdinalIgnoreCase) || name.Equals(SyncIdColumn, StringComparison.OrdinalIgnoreCase);
}
