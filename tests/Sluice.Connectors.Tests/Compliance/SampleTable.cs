using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// A known set of rows with typed columns: what a test writes to a destination or puts in a source, and what it
/// expects back. Values are plain CLR values (bool, long, double, decimal text, string, byte[], DateOnly, TimeSpan,
/// DateTime, DateTimeOffset, Guid, JSON text) so every connector's read-back can be compared with <see cref="ValueCanon"/>.
/// </summary>
public sealed record SampleTable(string Name, IReadOnlyList<ColumnSchema> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>The first column is the key of every sample table.</summary>
    public string KeyColumn => Columns[0].Name;

    public StreamDescriptor Descriptor => new(Name);

    public StreamSchema Schema => new()
    {
        Descriptor = Descriptor,
        Columns = Columns,
        PrimaryKey = [[KeyColumn]],
    };

    public ConfiguredStream Configure(DestinationSyncMode mode = DestinationSyncMode.Overwrite) => new()
    {
        Stream = Schema,
        DestinationSyncMode = mode,
        PrimaryKey = [[KeyColumn]],
    };

    public ConfiguredCatalog Catalog(DestinationSyncMode mode = DestinationSyncMode.Overwrite) => new([Configure(mode)]);

    public SampleTable WithRows(IReadOnlyList<object?[]> rows) => this with { Rows = rows };

    /// <summary>All rows as one batch.</summary>
    public RecordBatch ToBatch() => SampleBatches.Build(Columns, Rows);

    /// <summary>The rows split into batches of at most <paramref name="rowsPerBatch"/>.</summary>
    public IEnumerable<RecordBatch> ToBatches(int rowsPerBatch) =>
        Rows.Chunk(rowsPerBatch).Select(chunk => SampleBatches.Build(Columns, chunk));

    /// <summary>Text of each value as Sluice writes it to CSV (null stays null), for sources fed by hand-written files.</summary>
    public IEnumerable<string?[]> TextRows()
    {
        var batch = ToBatch();
        for (var row = 0; row < batch.Length; row++)
        {
            var values = new string?[batch.ColumnCount];
            for (var c = 0; c < batch.ColumnCount; c++)
                values[c] = ArrowValues.ToText(batch.Column(c), row);
            yield return values;
        }
    }

    public LogicalType TypeOf(string column) => Columns.First(c => c.Name == column).Type;
}
