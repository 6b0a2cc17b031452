using MySqlConnector;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Types;
using Sluice.Testing;
using static Sluice.Connectors.Tests.MySql.MySqlTestSupport;

namespace Sluice.Connectors.Tests.MySql;

public sealed class MySqlLoadFailureTests
{
    [Theory]
    [InlineData("load_data")]
    [InlineData("insert")]
    public async Task A_value_that_does_not_fit_fails_the_load_instead_of_changing(string loadMethod)
    {
        var server = await MariaDbServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("nofit");
        ColumnSchema[] columns = [new("id", LogicalType.Int64, false), new("v", LogicalType.BigDecimal)];
        var builder = new RecordBatchBuilder(columns);
        builder.AppendValue(0, 1L);
        builder.AppendValue(1, "1" + new string('0', 40)); // 41 integer digits: more than DECIMAL(65,30) holds
        builder.EndRow();
        var stream = new StreamDescriptor("big");
        var catalog = new ConfiguredCatalog([new ConfiguredStream { Stream = new StreamSchema { Descriptor = stream, Columns = columns }, DestinationSyncMode = DestinationSyncMode.Append }]);
        SourceMessage[] messages = [new RecordBatchMessage(stream, builder.Flush()), new CheckpointMessage(new(stream, new System.Text.Json.Nodes.JsonObject()))];

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in Connector.WriteAsync(Config(server, database, loadMethod), catalog, messages.ToAsyncEnumerable(), new WriteContext(1, DateTimeOffset.UnixEpoch), CancellationToken.None))
            {
            }
        });
        Assert.True(error is InvalidDataException or MySqlException, error.ToString());
        Assert.Contains("Out of range", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await server.ScalarAsync<long>(database, "select count(*) from big"));
    }
}
