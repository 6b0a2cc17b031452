using Sluice.Core.Catalog;

namespace Sluice.Core.Evolution;

/// <summary>The differences between the schema last seen for a stream and the schema a source reports now.</summary>
public static class SchemaComparer
{
    /// <summary>Column and primary-key changes, in the order of the columns (removed ones first, then type changes and additions).</summary>
    public static IReadOnlyList<SchemaChange> Compare(StreamSchema before, StreamSchema after)
    {
        var changes = new List<SchemaChange>();
        var descriptor = before.Descriptor;
        foreach (var old in before.Columns)
            if (after.Column(old.Name) is null)
                changes.Add(new SchemaChange(descriptor, SchemaChangeKind.ColumnRemoved, old.Name, old.Type.ToString()));
        foreach (var now in after.Columns)
        {
            var old = before.Column(now.Name);
            if (old is null)
                changes.Add(new SchemaChange(descriptor, SchemaChangeKind.ColumnAdded, now.Name, NewType: now.Type.ToString()));
            else if (old.Type != now.Type)
                changes.Add(new SchemaChange(descriptor, SchemaChangeKind.ColumnTypeChanged, now.Name, old.Type.ToString(), now.Type.ToString()));
        }
        if (KeyText(before.PrimaryKey) != KeyText(after.PrimaryKey))
            changes.Add(new SchemaChange(descriptor, SchemaChangeKind.PrimaryKeyChanged, null, KeyText(before.PrimaryKey), KeyText(after.PrimaryKey)));
        return changes;
    }

    /// <summary>A key as text: its column paths joined by commas (nested paths by dots), "" for none.</summary>
    public static string KeyText(IReadOnlyList<IReadOnlyList<string>> key) =>
        string.Join(",", key.Select(path => string.Join(".", path)));
}
