using Sluice.Core.Catalog;

namespace Sluice.Core.Evolution;

/// <summary>
/// One difference between the schema last seen for a stream and the source's schema now. Types are logical type text
/// (<c>int32</c>, <c>decimal(12,2)</c>); for a primary key they are the key's columns joined by commas.
/// </summary>
public sealed record SchemaChange(StreamDescriptor Stream, SchemaChangeKind Kind, string? Column = null, string? OldType = null, string? NewType = null)
{
    public override string ToString() => Kind switch
    {
        SchemaChangeKind.ColumnAdded => $"stream {Stream}: column {Column} ({NewType}) added",
        SchemaChangeKind.ColumnRemoved => $"stream {Stream}: column {Column} ({OldType}) removed",
        SchemaChangeKind.ColumnTypeChanged => $"stream {Stream}: column {Column} changed type {OldType} -> {NewType}",
        SchemaChangeKind.PrimaryKeyChanged => $"stream {Stream}: primary key changed ({Show(OldType)}) -> ({Show(NewType)})",
        SchemaChangeKind.StreamAdded => $"stream {Stream} added",
        SchemaChangeKind.StreamRemoved => $"stream {Stream} removed",
        _ => $"stream {Stream}: {Kind}",
    };

    private static string Show(string? key) => string.IsNullOrEmpty(key) ? "none" : key;
}
