using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>Adds Sluice's metadata columns to a batch, so every format writes them like any other column.</summary>
internal static class MetadataColumns
{
    private static readonly ColumnSchema ExtractedAt = new(WriteContext.ExtractedAtColumn, LogicalType.TimestampTz, Nullable: false);
    private static readonly ColumnSchema SyncId = new(WriteContext.SyncIdColumn, LogicalType.Int64, Nullable: false);

    public static RecordBatch Append(RecordBatch batch, WriteContext context)
    {
        var fields = batch.Schema.FieldsList.Where(f => f.Name is not (WriteContext.ExtractedAtColumn or WriteContext.SyncIdColumn)).ToList();
        var arrays = fields.Select(f => batch.Column(batch.Schema.GetFieldIndex(f.Name))).ToList();
        var extractedAt = ColumnBuffer.For(ArrowTypes.ToArrow(ExtractedAt.Type));
        var syncId = ColumnBuffer.For(ArrowTypes.ToArrow(SyncId.Type));
        var micros = RecordBatchBuilder.ToUnixMicros(context.ExtractedAt.UtcDateTime);
        for (var i = 0; i < batch.Length; i++)
        {
            extractedAt.Append(micros);
            syncId.Append(context.SyncId);
        }
        fields.Add(ArrowTypes.ToField(ExtractedAt));
        fields.Add(ArrowTypes.ToField(SyncId));
        arrays.Add(extractedAt.Build());
        arrays.Add(syncId.Build());
        return new RecordBatch(new Schema(fields, null), arrays, batch.Length);
    }

    /// <summary>The schema of a stream's empty part: its columns and the metadata columns.</summary>
    public static Schema EmptySchema(ConfiguredStream stream) =>
        ArrowTypes.ToSchema(stream.TargetColumns().Append(ExtractedAt).Append(SyncId));
}
