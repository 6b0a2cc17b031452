namespace Sluice.Core.Evolution;

/// <summary>What changed in a source's schema between two syncs. A renamed column is seen as one removed and one added.</summary>
public enum SchemaChangeKind
{
    ColumnAdded,
    ColumnRemoved,
    ColumnTypeChanged,
    PrimaryKeyChanged,
    StreamAdded,
    StreamRemoved,
}

/// <summary>What Sluice did about a change: made it in the catalog (and the destination), left it, or paused the connection.</summary>
public enum SchemaChangeAction
{
    Applied,
    Ignored,
    Paused,
}

public static class SchemaChangeNames
{
    public static string ToText(this SchemaChangeKind kind) => kind switch
    {
        SchemaChangeKind.ColumnAdded => "column_added",
        SchemaChangeKind.ColumnRemoved => "column_removed",
        SchemaChangeKind.ColumnTypeChanged => "column_type_changed",
        SchemaChangeKind.PrimaryKeyChanged => "primary_key_changed",
        SchemaChangeKind.StreamAdded => "stream_added",
        SchemaChangeKind.StreamRemoved => "stream_removed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string ToText(this SchemaChangeAction action) => action.ToString().ToLowerInvariant();

    public static SchemaChangeKind ParseKind(string text)
    {
        foreach (var kind in Enum.GetValues<SchemaChangeKind>())
            if (kind.ToText() == text)
                return kind;
        throw new FormatException($"unknown schema change kind '{text}'");
    }

    public static SchemaChangeAction ParseAction(string text) =>
        Enum.TryParse<SchemaChangeAction>(text, ignoreCase: true, out var action) ? action : throw new FormatException($"unknown schema change action '{text}'");
}
