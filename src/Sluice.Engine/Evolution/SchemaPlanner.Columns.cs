using Sluice.Core.Catalog;
using Sluice.Core.Evolution;

namespace Sluice.Engine.Evolution;

internal sealed partial class SchemaPlanner
{
    /// <summary>
    /// The column and key changes of one configured stream. A change the connection's catalog already shows (someone
    /// applied a fresh catalog since) is recorded as applied. Type and key changes are safe for overwrite streams,
    /// whose table every sync rebuilds; for tables that are appended to, only the widenings of <see cref="TypeWidening"/> are.
    /// </summary>
    private ConfiguredStream PlanColumns(ConfiguredStream configured, StreamSchema baseline, StreamSchema now)
    {
        var stream = configured;
        foreach (var change in SchemaComparer.Compare(baseline, now))
        {
            stream = change.Kind switch
            {
                SchemaChangeKind.ColumnAdded => ColumnAdded(configured, stream, change, now.Column(change.Column!)!),
                SchemaChangeKind.ColumnRemoved => ColumnRemoved(configured, stream, change),
                SchemaChangeKind.ColumnTypeChanged => TypeChanged(configured, stream, change, now.Column(change.Column!)!),
                SchemaChangeKind.PrimaryKeyChanged => KeyChanged(configured, stream, change, now),
                _ => stream,
            };
        }
        return stream;
    }

    private ConfiguredStream ColumnAdded(ConfiguredStream configured, ConfiguredStream stream, SchemaChange change, ColumnSchema column)
    {
        if (configured.Stream.Column(column.Name) is { } known && known.Type == column.Type)
        {
            _changes.Add(new PlannedChange(change, SchemaChangeAction.Applied, "already in the connection's streams (the connection was edited since)"));
            if (Reads(configured, column.Name) && !Overwrites(configured))
                _destination.Add(new DestinationChange(configured.Descriptor, column.Name, Widen: false));
            return stream;
        }
        if (Ignoring)
        {
            Decide(change, SchemaChangeAction.Ignored, "not synced: policy ignore leaves the connection's columns as they are; select the column to sync it");
            return stream;
        }
        Decide(change, SchemaChangeAction.Applied, Overwrites(configured)
            ? "added to the stream; the next overwrite creates the table with it"
            : "added to the stream and to the destination table (rows written before have NULL in it)");
        if (!Overwrites(configured))
            _destination.Add(new DestinationChange(configured.Descriptor, column.Name, Widen: false));
        return stream with
        {
            Stream = stream.Stream with { Columns = [.. stream.Stream.Columns.Where(c => c.Name != column.Name), column] },
            SelectedColumns = stream.SelectedColumns is null ? null : [.. stream.SelectedColumns, column.Name],
        };
    }

    private ConfiguredStream ColumnRemoved(ConfiguredStream configured, ConfiguredStream stream, SchemaChange change)
    {
        var name = change.Column!;
        if (!Reads(configured, name))
        {
            Decide(change, Ignoring ? SchemaChangeAction.Ignored : SchemaChangeAction.Applied, "the connection did not sync it");
            return Ignoring ? stream : Without(stream, name);
        }
        var blocker =
            configured.SyncMode == SyncMode.Incremental && configured.CursorField.Contains(name)
                ? ("it was the cursor of this incremental stream", "choose another cursor_field for the stream (sluice apply)")
            : configured.PrimaryKey.Any(p => p.Count > 0 && p[0] == name) && !Overwrites(configured)
                ? ("it was part of the primary key the destination table is deduplicated and resumed by", "reset the stream and sync it with overwrite, or choose another primary_key (sluice apply)")
            : Ignoring
                ? ("policy ignore keeps syncing the configured columns, and this one no longer exists", "deselect the column (sluice apply) or set schema_change_policy to propagate_columns")
            : ((string Why, string Fix)?)null;
        if (blocker is { } b && !Reviewing)
        {
            if (!accepting)
            {
                Pause(change, $"{b.Why}: {b.Fix}, {Resume}");
                return stream;
            }
            _changes.Add(new PlannedChange(change, SchemaChangeAction.Applied, $"accepted on resume ({b.Why}): no longer read"));
            return Without(stream, name);
        }
        Decide(change, SchemaChangeAction.Applied, Overwrites(configured)
            ? "no longer read; the next overwrite builds the table without it"
            : "no longer read; the destination column is kept, and rows written from now on have NULL in it");
        return Without(stream, name);
    }

    private ConfiguredStream TypeChanged(ConfiguredStream configured, ConfiguredStream stream, SchemaChange change, ColumnSchema column)
    {
        var from = LogicalTypeOf(change.OldType!);
        var safe = TypeWidening.IsSafe(from, column.Type);
        var textInDestination = configured.Mappings.Any(m => m.Column == column.Name && m.Kind is ColumnMappingKind.Hash or ColumnMappingKind.Mask);
        var widen = Reads(configured, column.Name) && safe && !Overwrites(configured) && !textInDestination;
        var current = configured.Stream.Column(column.Name);
        if (current is null || current.Type == column.Type)
        {
            var note = current is null ? "the connection's streams do not have this column" : "already in the connection's streams (the connection was edited since)";
            _changes.Add(new PlannedChange(change, SchemaChangeAction.Applied, note));
            if (current is not null && widen)
                _destination.Add(new DestinationChange(configured.Descriptor, column.Name, Widen: true));
            return stream;
        }
        if (!Reads(configured, column.Name))
        {
            Decide(change, Ignoring ? SchemaChangeAction.Ignored : SchemaChangeAction.Applied, "the connection does not sync this column");
            return Ignoring ? stream : WithColumn(stream, column);
        }
        var blocker =
            Ignoring
                ? ($"policy ignore does not change the connection's columns, and the source now sends {column.Type}", "set schema_change_policy to propagate_columns or deselect the column")
            : !safe && !Overwrites(configured) && !textInDestination
                ? ($"{from} -> {column.Type} is not a safe widening, and the destination table is appended to", $"reset the stream and sync it with overwrite, or alter the destination column to hold {column.Type}")
            : ((string Why, string Fix)?)null;
        if (blocker is { } b && !Reviewing && !accepting)
        {
            Pause(change, $"{b.Why}: {b.Fix}, {Resume}");
            return stream;
        }
        var message = Overwrites(configured) ? $"the next overwrite builds the column as {column.Type}"
            : textInDestination ? "the destination column holds hashed or masked text and stays as it is"
            : widen ? $"destination column widened to {column.Type}"
            : "accepted on resume: the destination column is left as it is";
        Decide(change, SchemaChangeAction.Applied, message);
        if (widen)
            _destination.Add(new DestinationChange(configured.Descriptor, column.Name, Widen: true));
        return WithColumn(stream, column);
    }

    private ConfiguredStream KeyChanged(ConfiguredStream configured, ConfiguredStream stream, SchemaChange change, StreamSchema now)
    {
        var newKey = SchemaComparer.KeyText(now.PrimaryKey);
        if (SchemaComparer.KeyText(configured.Stream.PrimaryKey) == newKey)
        {
            _changes.Add(new PlannedChange(change, SchemaChangeAction.Applied, "already in the connection's streams (the connection was edited since)"));
            return stream;
        }
        if (SchemaComparer.KeyText(configured.PrimaryKey) != SchemaComparer.KeyText(configured.Stream.PrimaryKey))
        {
            Decide(change, Ignoring ? SchemaChangeAction.Ignored : SchemaChangeAction.Applied,
                $"the connection sets its own primary key ({SchemaComparer.KeyText(configured.PrimaryKey)}), which is kept");
            return Ignoring ? stream : stream with { Stream = stream.Stream with { PrimaryKey = now.PrimaryKey } };
        }
        var blocker =
            Ignoring
                ? ($"policy ignore keeps the configured key ({change.OldType})", "set schema_change_policy to propagate_columns")
            : !Overwrites(configured)
                ? ($"the destination table is deduplicated and resumed by the old key ({change.OldType})",
                    $"drop or rename the destination table and reset the stream (sluice reset {connection.Name} --stream {configured.Descriptor.Name}); the next sync rebuilds it keyed on ({newKey})")
            : ((string Why, string Fix)?)null;
        if (blocker is { } b && !Reviewing && !accepting)
        {
            Pause(change, $"{b.Why}: {b.Fix}, {Resume}");
            return stream;
        }
        Decide(change, SchemaChangeAction.Applied, Overwrites(configured) ? $"the next overwrite keys the table on ({newKey})" : $"accepted on resume: the stream is keyed on ({newKey})");
        return stream with { PrimaryKey = now.PrimaryKey, Stream = stream.Stream with { PrimaryKey = now.PrimaryKey } };
    }

    private static bool Reads(ConfiguredStream configured, string column) => configured.ReadColumns().Any(c => c.Name == column);

    private static bool Overwrites(ConfiguredStream stream) => stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;

    private static Core.Types.LogicalType LogicalTypeOf(string text) => Core.Types.LogicalType.Parse(text);

    private static ConfiguredStream WithColumn(ConfiguredStream stream, ColumnSchema column) =>
        stream with { Stream = stream.Stream with { Columns = stream.Stream.Columns.Select(c => c.Name == column.Name ? column : c).ToList() } };

    private static ConfiguredStream Without(ConfiguredStream stream, string column) => stream with
    {
        Stream = stream.Stream with { Columns = stream.Stream.Columns.Where(c => c.Name != column).ToList() },
        SelectedColumns = stream.SelectedColumns?.Where(c => c != column).ToList(),
        Mappings = stream.Mappings.Where(m => m.Column != column).ToList(),
    };
}
