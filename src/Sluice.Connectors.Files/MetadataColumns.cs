using System.Runtime.InteropServices;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>
/// Adds Sluice's metadata columns to a stream's batches, so every format writes them like any other column. Both
/// hold one value for the whole sync, so their arrays are built once per batch length and shared by the batches
/// (Arrow arrays are immutable), rather than appended value by value for every batch.
/// </summary>
internal sealed class MetadataColumns(WriteContext context)
{
    private static readonly ColumnSchema ExtractedAt = new(WriteContext.ExtractedAtColumn, LogicalType.TimestampTz, Nullable: false);
    private static readonly ColumnSchema SyncId = new(WriteContext.SyncIdColumn, LogicalType.Int64, Nullable: false);

    private (int Length, IArrowArray ExtractedAt, IArrowArray SyncId)? _arrays;

    public RecordBatch Append(RecordBatch batch)
    {
        var fields = batch.Schema.FieldsList.Where(f => f.Name is not (WriteContext.ExtractedAtColumn or WriteContext.SyncIdColumn)).ToList();
        var arrays = fields.Select(f => batch.Column(batch.Schema.GetFieldIndex(f.Name))).ToList();
        if (_arrays?.Length != batch.Length)
            _arrays = (batch.Length,
                Constant(ExtractedAt, RecordBatchBuilder.ToUnixMicros(context.ExtractedAt.UtcDateTime), batch.Length),
                Constant(SyncId, context.SyncId, batch.Length));
        fields.Add(ArrowTypes.ToField(ExtractedAt));
        fields.Add(ArrowTypes.ToField(SyncId));
        arrays.Add(_arrays.Value.ExtractedAt);
        arrays.Add(_arrays.Value.SyncId);
        return new RecordBatch(new Schema(fields, null), arrays, batch.Length);
    }

    /// <summary>The schema of a stream's empty part: its columns and the metadata columns.</summary>
    public static Schema EmptySchema(ConfiguredStream stream) =>
        ArrowTypes.ToSchema(stream.TargetColumns().Append(ExtractedAt).Append(SyncId));

    /// <summary>A column of 64-bit values (integers or timestamp microseconds), all equal, without nulls.</summary>
    private static IArrowArray Constant(ColumnSchema column, long value, int length)
    {
        var values = new byte[length * sizeof(long)];
        MemoryMarshal.Cast<byte, long>(values.AsSpan()).Fill(value);
        return ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(column.Type), length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(values)]));
    }
}
