namespace Sluice.Core.Catalog;

/// <summary>What happens to a column between source and destination.</summary>
public enum ColumnMappingKind
{
    Rename,
    Drop,
    /// <summary>SHA-256 of the value's text, hex encoded.</summary>
    Hash,
    /// <summary>Replaced by a fixed mask, keeping nulls as nulls.</summary>
    Mask,
}

public sealed record ColumnMapping(string Column, ColumnMappingKind Kind, string? NewName = null)
{
    /// <summary>What a masked non-null value becomes.</summary>
    public const string MaskText = "****";

    public override string ToString() => Kind switch
    {
        ColumnMappingKind.Rename => $"rename {Column} to {NewName}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Column}",
    };
}
