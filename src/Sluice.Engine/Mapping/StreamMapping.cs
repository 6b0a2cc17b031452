using System.Security.Cryptography;
using System.Text;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Engine.Mapping;

/// <summary>
/// Applies a stream's column mappings between source and destination. Drops are pushed into the source's read
/// (it never selects them); renames, hashes and masks are applied here, so every source gets them the same way.
/// </summary>
internal sealed class StreamMapping
{
    public const string MaskText = "****";

    private readonly Dictionary<string, ColumnMapping> _byColumn;

    public StreamMapping(ConfiguredStream stream)
    {
        _byColumn = stream.Mappings.Where(m => m.Kind != ColumnMappingKind.Drop).ToDictionary(m => m.Column, StringComparer.Ordinal);
        var readColumns = stream.ReadColumns();
        foreach (var mapping in stream.Mappings)
            if (stream.Stream.Column(mapping.Column) is null)
                throw new Core.Connectors.ConfigException($"streams.{stream.Descriptor}.mappings", $"column '{mapping.Column}' does not exist in the stream", $"columns: {string.Join(", ", stream.Stream.Columns.Select(c => c.Name))}");
        SourceStream = stream with { Mappings = stream.Mappings.Where(m => m.Kind == ColumnMappingKind.Drop).ToList() };
        var destinationColumns = readColumns.Select(Map).ToList();
        var duplicates = destinationColumns.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new Core.Connectors.ConfigException($"streams.{stream.Descriptor}.mappings", $"renames produce duplicate column names: {string.Join(", ", duplicates)}", "choose distinct new names");
        DestinationStream = stream with
        {
            Stream = stream.Stream with { Columns = destinationColumns },
            SelectedColumns = null,
            Mappings = [],
            PrimaryKey = stream.PrimaryKey.Select(path => (IReadOnlyList<string>)path.Select(RenamedTo).ToList()).ToList(),
            CursorField = stream.CursorField.Select(RenamedTo).ToList(),
        };
        IsIdentity = _byColumn.Count == 0;
    }

    /// <summary>What the source reads: the selection minus dropped columns, with no other mapping.</summary>
    public ConfiguredStream SourceStream { get; }

    /// <summary>What the destination sees: the mapped columns, under their new names.</summary>
    public ConfiguredStream DestinationStream { get; }

    public bool IsIdentity { get; }

    private string RenamedTo(string column) =>
        _byColumn.TryGetValue(column, out var m) && m.Kind == ColumnMappingKind.Rename ? m.NewName ?? column : column;

    private ColumnSchema Map(ColumnSchema column) => _byColumn.TryGetValue(column.Name, out var m)
        ? m.Kind switch
        {
            ColumnMappingKind.Rename => column with { Name = m.NewName ?? throw new Core.Connectors.ConfigException($"mappings.{column.Name}", "a rename needs new_name", "set new_name") },
            ColumnMappingKind.Hash or ColumnMappingKind.Mask => column with { Type = LogicalType.String, NativeType = null },
            _ => column,
        }
        : column;

    public RecordBatch Apply(RecordBatch batch)
    {
        if (IsIdentity)
            return batch;
        var fields = new List<Field>(batch.ColumnCount);
        var arrays = new List<IArrowArray>(batch.ColumnCount);
        for (var i = 0; i < batch.ColumnCount; i++)
        {
            var field = batch.Schema.GetFieldByIndex(i);
            var array = batch.Column(i);
            if (!_byColumn.TryGetValue(field.Name, out var mapping))
            {
                fields.Add(field);
                arrays.Add(array);
                continue;
            }
            switch (mapping.Kind)
            {
                case ColumnMappingKind.Rename:
                    fields.Add(new Field(mapping.NewName!, field.DataType, field.IsNullable, field.Metadata));
                    arrays.Add(array);
                    break;
                default:
                    fields.Add(ArrowTypes.ToField(new ColumnSchema(field.Name, LogicalType.String, field.IsNullable)));
                    arrays.Add(Transform(array, mapping.Kind));
                    break;
            }
        }
        return new RecordBatch(new Schema(fields, batch.Schema.Metadata), arrays, batch.Length);
    }

    private static StringArray Transform(IArrowArray array, ColumnMappingKind kind)
    {
        var builder = new StringArray.Builder();
        for (var row = 0; row < array.Length; row++)
        {
            var text = ArrowValues.ToText(array, row);
            if (text is null)
                builder.AppendNull();
            else if (kind == ColumnMappingKind.Hash)
                builder.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
            else
                builder.Append(MaskText);
        }
        return builder.Build();
    }
}
