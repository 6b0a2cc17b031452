using System.Text.Json.Nodes;
using Sluice.Connectors.Airbyte;
using Sluice.Connectors.Sample;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Protocol;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Airbyte;

public sealed class AirbyteDestinationTests : IDisposable
{
    private readonly TempDirectory _directory = new("sluice-airbyte");
    private readonly AirbyteConnector _connector = new();

    private string Output => _directory.Combine("out.jsonl");

    private JsonObject Config(string? fail = null)
    {
        var own = new JsonObject { ["output_path"] = Output };
        if (fail is not null)
            own["fail"] = fail;
        return FakeConnector.Config(own);
    }

    private List<JsonNode> Written() =>
        File.Exists(Output) ? File.ReadLines(Output).Select(l => JsonNode.Parse(l)!).ToList() : [];

    private async Task<List<Checkpoint>> WriteAsync(JsonObject config, ConfiguredCatalog catalog, IEnumerable<SourceMessage> messages)
    {
        var committed = new List<Checkpoint>();
        await foreach (var checkpoint in _connector.WriteAsync(config, catalog, MessageStreams.Async(messages), new WriteContext(1, DateTimeOffset.UnixEpoch), CancellationToken.None))
        {
            // Echoed means flushed: every row before this checkpoint must already be in the file.
            Assert.True(Written().Count >= MessageStreams.Number(checkpoint) * 2);
            committed.Add(checkpoint);
        }
        return committed;
    }

    [Fact]
    public async Task Echoed_states_are_the_committed_checkpoints_after_their_rows()
    {
        var table = SampleBatches.Simple("items", 1, 6);

        var committed = await WriteAsync(Config(), table.Catalog(), MessageStreams.Stream(table, rowsPerBatch: 2));

        Assert.Equal([1, 2, 3], committed.Select(MessageStreams.Number));
        Assert.All(committed, c => Assert.Equal("items", c.Stream!.Name));
        Assert.Equal(6, Written().Count);
        Assert.Equal("items", Written()[0]["stream"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sample_source_to_airbyte_destination_end_to_end()
    {
        var sample = new SampleSource();
        var sampleConfig = new JsonObject { ["customers"] = 25, ["products"] = 3, ["orders"] = 0, ["batch_rows"] = 10 };
        var discovered = await sample.DiscoverAsync(sampleConfig, CancellationToken.None);
        var catalog = ConfiguredCatalog.AllStreams(new SourceCatalog(discovered.Streams.Where(s => s.Name == "customers").ToList()));

        var committed = new List<Checkpoint>();
        await foreach (var checkpoint in _connector.WriteAsync(Config(), catalog, sample.ReadAsync(sampleConfig, catalog, SyncState.Empty, CancellationToken.None), new WriteContext(1, DateTimeOffset.UnixEpoch), CancellationToken.None))
            committed.Add(checkpoint);

        Assert.Equal(25, Written().Count(r => r["stream"]!.GetValue<string>() == "customers"));
        Assert.NotEmpty(committed);
    }

    [Fact]
    public async Task A_destination_that_exits_non_zero_fails_with_its_stderr()
    {
        var table = SampleBatches.Simple("items", 1, 6);

        var e = await Assert.ThrowsAsync<ExternalConnectorException>(() => WriteAsync(Config("exit"), table.Catalog(), MessageStreams.Stream(table, rowsPerBatch: 3)));

        Assert.Contains("lost connection to the upstream API during write", e.Message);
    }

    [Fact]
    public async Task A_destination_error_trace_fails_with_its_message()
    {
        var table = SampleBatches.Simple("items", 1, 6);

        var e = await Assert.ThrowsAsync<ExternalConnectorException>(() => WriteAsync(Config("trace"), table.Catalog(), MessageStreams.Stream(table, rowsPerBatch: 3)));

        Assert.Contains("upstream API rejected the request", e.Message);
    }

    [Fact]
    public async Task A_failing_source_kills_the_destination_before_it_commits()
    {
        var table = SampleBatches.Simple("items", 1, 4);
        var messages = MessageStreams.Stream(table, rowsPerBatch: 2).Take(3).Concat(Fail());

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(Config(), table.Catalog(), messages));
    }

    private static IEnumerable<SourceMessage> Fail()
    {
        throw new InvalidOperationException("source failed");
#pragma warning disable CS0162 // makes this an iterator that fails when enumerated
        yield break;
#pragma warning restore CS0162
    }

    public void Dispose() => _directory.Dispose();
}
