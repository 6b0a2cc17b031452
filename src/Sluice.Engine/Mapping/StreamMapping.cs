using System.Security.Cryptography;
using System.Text;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Engine.Mapping;

/// <summary>
/// Applies a stream's column mappings between source and destination. Drops are pushed into the source's read
/// (it never selects them); renames, hashes and masks go into the source's query too where the source computes them
/// byte for byte as this class does (<see cref="IMappingPushdown"/>), and are applied here otherwise.
/// </summary>
internal sealed class StreamMapping
{
    public const string MaskText = ColumnMapping.MaskText;

    /// <summary>The mappings left to the engine, by the name their column arrives with (its source name).</summary>
    private readonly Dictionary<string, ColumnMapping> _byColumn;

    public StreamMapping(ConfiguredStream stream, IMappingPushdown? pushdown = null)
    {
        var readColumns = stream.ReadColumns();
        foreach (var mapping in stream.Mappings)
            if (stream.Stream.Column(mapping.Column) is null)
                throw new ConfigException($"streams.{stream.Descriptor}.mappings", $"column '{mapping.Column}' does not exist in the stream", $"columns: {string.Join(", ", stream.Stream.Columns.Select(c => c.Name))}");
        var all = stream.Mappings.Where(m => m.Kind != ColumnMappingKind.Drop).ToDictionary(m => m.Column, StringComparer.Ordinal);
        var destinationColumns = readColumns.Select(c => Map(c, all)).ToList();
        var duplicates = destinationColumns.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new ConfigException($"streams.{stream.Descriptor}.mappings", $"renames produce duplicate column names: {string.Join(", ", duplicates)}", "choose distinct new names");

        Pushed = pushdown is null
            ? []
            : all.Values.Select(m => (Mapping: m, Expression: pushdown.PushDown(stream.Stream.Column(m.Column)!, m))).Where(p => p.Expression is not null).Select(p => (p.Mapping, p.Expression!)).ToList();
        var pushed = Pushed.Select(p => p.Mapping).ToHashSet();
        _byColumn = all.Values.Where(m => !pushed.Contains(m)).ToDictionary(m => m.Column, StringComparer.Ordinal);
        SourceStream = stream with { Mappings = stream.Mappings.Where(m => m.Kind == ColumnMappingKind.Drop || pushed.Contains(m)).ToList() };
        DestinationStream = stream with
        {
            Stream = stream.Stream with { Columns = destinationColumns },
            SelectedColumns = null,
            Mappings = [],
            PrimaryKey = stream.PrimaryKey.Select(path => (IReadOnlyList<string>)path.Select(c => RenamedTo(c, all)).ToList()).ToList(),
            CursorField = stream.CursorField.Select(c => RenamedTo(c, all)).ToList(),
        };
        IsIdentity = all.Count == 0;
    }

    /// <summary>What the source reads: the selection minus dropped columns, with the mappings it computes itself.</summary>
    public ConfiguredStream SourceStream { get; }

    /// <summary>What the destination sees: the mapped columns, under their new names.</summary>
    public ConfiguredStream DestinationStream { get; }

    /// <summary>No mapping besides drops: the stream may take a direct transfer.</summary>
    public bool IsIdentity { get; }

    /// <summary>The mappings the source computes in its query, with the expression it uses.</summary>
    public IReadOnlyList<(ColumnMapping Mapping, string Expression)> Pushed { get; }

    /// <summary>The mappings this class applies to each batch.</summary>
    public IReadOnlyCollection<ColumnMapping> Applied => _byColumn.Values;

    private static string RenamedTo(string column, Dictionary<string, ColumnMapping> mappings) =>
        mappings.TryGetValue(column, out var m) && m.Kind == ColumnMappingKind.Rename ? m.NewName ?? column : column;

    private static ColumnSchema Map(ColumnSchema column, Dictionary<string, ColumnMapping> mappings) => mappings.TryGetValue(column.Name, out var m)
        ? m.Kind switch
        {
            ColumnMappingKind.Rename => column with { Name = m.NewName ?? throw new ConfigException($"mappings.{column.Name}", "a rename needs new_name", "set new_name") },
            ColumnMappingKind.Hash or ColumnMappingKind.Mask => column with { Type = LogicalType.String, NativeType = null },
            _ => column,
        }
        : column;

    public RecordBatch Apply(RecordBatch batch)
    {
        if (_byColumn.Count == 0)
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

    /// <summary>
    /// The definition pushed-down mappings must match: the SHA-256 of the UTF-8 bytes of the value's text
    /// (<see cref="ArrowValues.ToText"/>), lower-case hex; a mask is <see cref="MaskText"/>; NULL stays NULL.
    /// </summary>
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
