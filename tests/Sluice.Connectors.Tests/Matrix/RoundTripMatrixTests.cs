using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Matrix;

/// <summary>
/// Every source × destination pair among postgres, mysql, sqlite, duckdb and parquet: the representative table is
/// written into the source, read from it, written to the destination, read back and compared value by value under
/// the rules of docs/types.md.
/// </summary>
public sealed class RoundTripMatrixTests : IDisposable
{
    private readonly TempDirectory _temp = new("sluice-matrix");

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in MatrixEndpoint.All)
            foreach (var destination in MatrixEndpoint.All)
                data.Add(source.Name, destination.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public Task Values_survive_source_to_destination(string sourceName, string destinationName) =>
        RoundTripAsync(sourceName, destinationName, keepMetadataColumns: false);

    /// <summary>A table Sluice loaded is itself a source: its _sluice_* columns must not break the next load.</summary>
    [Theory]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("parquet")]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public Task A_table_loaded_by_sluice_can_be_loaded_again(string destinationName) =>
        RoundTripAsync("postgres", destinationName, keepMetadataColumns: true);

    private async Task RoundTripAsync(string sourceName, string destinationName, bool keepMetadataColumns)
    {
        var source = MatrixEndpoint.All.Single(e => e.Name == sourceName);
        var destination = MatrixEndpoint.All.Single(e => e.Name == destinationName);
        var table = MatrixTable.Create(withNaN: source.HoldsNaN && destination.HoldsNaN);

        var sourceConfig = await source.FreshAsync(_temp);
        await Drain(source.Destination.WriteAsync(sourceConfig, table.Catalog(), MessageStreams.Async(MessageStreams.Stream(table)), new WriteContext(1, DateTimeOffset.UnixEpoch), CancellationToken.None));
        var readConfig = source.SourceConfig(sourceConfig, MatrixTable.Name);
        var catalog = await CatalogAsync(source.Source, readConfig, MatrixTable.Name, "copied", keepMetadataColumns);

        var destinationConfig = await destination.FreshAsync(_temp);
        var messages = source.Source.ReadAsync(readConfig, catalog, SyncState.Empty, CancellationToken.None);
        await Drain(destination.Destination.WriteAsync(destinationConfig, catalog, messages, new WriteContext(2, DateTimeOffset.UnixEpoch), CancellationToken.None));

        var copiedConfig = destination.SourceConfig(destinationConfig, "copied");
        var copiedCatalog = await CatalogAsync(destination.Source, copiedConfig, "copied", null, keepMetadataColumns: true);
        var copied = await ReadRowsAsync(destination.Source, copiedConfig, copiedCatalog);
        var mismatches = new List<string>();
        foreach (var column in table.Columns)
        {
            var expectedType = MatrixRules.TypeAfterLoad(destination.Name, MatrixRules.TypeAfterLoad(source.Name, column.Type));
            var actualType = copiedCatalog.Streams[0].Stream.Column(column.Name)?.Type;
            if (actualType != expectedType)
                mismatches.Add($"column {column.Name}: expected type {expectedType}, got {actualType?.ToString() ?? "no column"}");
        }
        foreach (var row in table.Rows)
        {
            var id = (long)row[0]!;
            var back = copied.SingleOrDefault(r => Convert.ToInt64(r["id"]) == id);
            if (back is null)
            {
                mismatches.Add($"row {id} missing");
                continue;
            }
            for (var c = 1; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                var expected = MatrixRules.Expected(source.Name, destination.Name, column, row[c]);
                var actual = MatrixRules.Actual(column, back.GetValueOrDefault(column.Name));
                if (expected != actual)
                    mismatches.Add($"row {id} {column.Name} ({column.Type}): expected {expected ?? "NULL"}, got {actual ?? "NULL"}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static async Task<ConfiguredCatalog> CatalogAsync(ISource source, System.Text.Json.Nodes.JsonObject config, string stream, string? target, bool keepMetadataColumns)
    {
        var discovered = await source.DiscoverAsync(config, CancellationToken.None);
        var schema = discovered.Streams.Single(s => s.Name == stream);
        // The source table was loaded by Sluice, so it carries _sluice_* columns; the value matrix leaves them out.
        var selected = keepMetadataColumns ? null : schema.Columns.Select(c => c.Name).Where(n => !n.StartsWith("_sluice_", StringComparison.Ordinal)).ToList();
        return new ConfiguredCatalog([new ConfiguredStream { Stream = schema, DestinationSyncMode = DestinationSyncMode.Overwrite, DestinationName = target, PrimaryKey = [["id"]], SelectedColumns = selected }]);
    }

    private static async Task<List<Dictionary<string, object?>>> ReadRowsAsync(ISource source, System.Text.Json.Nodes.JsonObject config, ConfiguredCatalog catalog)
    {
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var message in source.ReadAsync(config, catalog, SyncState.Empty, CancellationToken.None))
        {
            if (message is not RecordBatchMessage batch)
                continue;
            for (var r = 0; r < batch.Batch.Length; r++)
            {
                var row = new Dictionary<string, object?>();
                for (var c = 0; c < batch.Batch.ColumnCount; c++)
                    row[batch.Batch.Schema.GetFieldByIndex(c).Name] = ArrowValues.Get(batch.Batch.Column(c), r);
                rows.Add(row);
            }
        }
        return rows;
    }

    private static async Task Drain<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }

    public void Dispose() => _temp.Dispose();
}
