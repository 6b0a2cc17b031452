using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// The behaviour every source shares. A subclass puts <see cref="Fixture"/> in a fresh table or file (new for each
/// test: xunit makes a new instance per test) and returns the config that reads it.
/// </summary>
public abstract class SourceCompliance
{
    protected SampleTable Fixture { get; } = SampleBatches.SourceFixture();

    protected abstract ISource CreateSource();

    /// <summary>Creates a table or file named <c>fixture.Name</c> holding the fixture's rows; returns the config reading it.</summary>
    protected abstract Task<JsonObject> CreateFixtureAsync(SampleTable fixture);

    /// <summary>A config with one bad field, and that field's path as ConfigException.Field should name it.</summary>
    protected abstract (JsonObject Config, string Field) InvalidConfig();

    /// <summary>A config (and the stream name a catalog asks for) where the table or file does not exist.</summary>
    protected abstract Task<(JsonObject Config, string MissingName)> MissingStreamAsync();

    /// <summary>The type the source discovers for a fixture column; override where the format cannot hold it.</summary>
    protected virtual LogicalType ExpectedType(ColumnSchema column) => column.Type;

    /// <summary>Whether the source can know the fixture's primary key (id); files cannot.</summary>
    protected virtual bool DiscoversPrimaryKey => true;

    protected async Task<(JsonObject Config, StreamSchema Stream)> DiscoverFixtureAsync()
    {
        var config = await CreateFixtureAsync(Fixture);
        var catalog = await CreateSource().DiscoverAsync(config, CancellationToken.None);
        var stream = catalog.Streams.FirstOrDefault(s => s.Name == Fixture.Name);
        Assert.True(stream is not null, $"discover did not find '{Fixture.Name}' among: {string.Join(", ", catalog.Streams.Select(s => s.Descriptor))}");
        return (config, stream);
    }

    protected async Task<List<SourceMessage>> ReadAllAsync(JsonObject config, ConfiguredCatalog catalog)
    {
        var messages = new List<SourceMessage>();
        await foreach (var message in CreateSource().ReadAsync(config, catalog, SyncState.Empty, CancellationToken.None))
            messages.Add(message);
        return messages;
    }

    [Fact]
    public async Task Discover_finds_the_stream_with_its_columns_types_and_key()
    {
        var (_, stream) = await DiscoverFixtureAsync();

        Assert.Equal(Fixture.Columns.Select(c => c.Name), stream.Columns.Select(c => c.Name));
        foreach (var column in Fixture.Columns)
            Assert.Equal(ExpectedType(column), stream.Column(column.Name)!.Type);
        if (DiscoversPrimaryKey)
            Assert.Equal([["id"]], stream.PrimaryKey.Select(k => k.ToArray()).ToArray());
    }

    [Fact]
    public async Task Read_returns_exactly_the_fixture_rows()
    {
        var (config, stream) = await DiscoverFixtureAsync();
        var messages = await ReadAllAsync(config, ConfiguredCatalog.AllStreams(new SourceCatalog([stream])));

        var rows = Rows(messages, stream.Descriptor);
        Assert.Equal(Fixture.Rows.Count, rows.Count);
        foreach (var (expected, actual) in Fixture.Rows.Zip(rows.OrderBy(r => long.Parse(r["id"]!, System.Globalization.CultureInfo.InvariantCulture))))
            for (var c = 0; c < Fixture.Columns.Count; c++)
            {
                var column = Fixture.Columns[c];
                var want = ValueCanon.Of(column.Type, expected[c]);
                Assert.True(want == actual[column.Name], $"row id={expected[0]}, column '{column.Name}': expected <{want}> but got <{actual[column.Name]}>");
            }
    }

    [Fact]
    public async Task Read_honours_a_subset_of_selected_columns_in_catalog_order()
    {
        var (config, stream) = await DiscoverFixtureAsync();
        var configured = new ConfiguredStream { Stream = stream, SelectedColumns = ["id", "born", "name"] };
        var messages = await ReadAllAsync(config, new ConfiguredCatalog([configured]));

        var batches = messages.OfType<RecordBatchMessage>().ToList();
        Assert.NotEmpty(batches);
        foreach (var batch in batches)
            Assert.Equal(["id", "name", "born"], batch.Batch.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(Fixture.Rows.Count, batches.Sum(b => b.Batch.Length));
    }

    [Fact]
    public async Task Read_reports_stream_status_and_a_checkpoint_after_the_rows()
    {
        var (config, stream) = await DiscoverFixtureAsync();
        var messages = await ReadAllAsync(config, ConfiguredCatalog.AllStreams(new SourceCatalog([stream])));

        var mine = messages.Where(m => m switch
        {
            StreamStatusMessage s => s.Stream == stream.Descriptor,
            RecordBatchMessage b => b.Stream == stream.Descriptor,
            CheckpointMessage c => c.Checkpoint.Stream == stream.Descriptor,
            _ => false,
        }).ToList();
        Assert.Equal(StreamStatus.Started, Assert.IsType<StreamStatusMessage>(mine[0]).Status);
        Assert.Equal(StreamStatus.Complete, Assert.IsType<StreamStatusMessage>(mine[^1]).Status);
        var lastBatch = mine.FindLastIndex(m => m is RecordBatchMessage);
        var lastCheckpoint = mine.FindLastIndex(m => m is CheckpointMessage);
        Assert.True(lastCheckpoint > lastBatch, "no checkpoint follows the last batch");
    }

    [Fact]
    public async Task Invalid_config_names_the_field()
    {
        var (config, field) = InvalidConfig();
        var error = await Assert.ThrowsAnyAsync<ConfigException>(async () => await CreateSource().DiscoverAsync(config, CancellationToken.None));
        Assert.Equal(field, error.Field);

        var check = await CreateSource().CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains(field, check.Message);
    }

    [Fact]
    public async Task A_missing_table_or_file_gives_a_clear_error()
    {
        var (config, missing) = await MissingStreamAsync();
        var stream = Fixture.Schema with { Descriptor = new StreamDescriptor(missing) };
        var catalog = new ConfiguredCatalog([new ConfiguredStream { Stream = stream }]);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await ReadAllAsync(config, catalog));
        Assert.True(error is ConfigException or ConnectorUnavailableException, $"expected a ConfigException or ConnectorUnavailableException, got {error.GetType().Name}: {error.Message}");
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Check_succeeds_on_the_fixture()
    {
        var config = await CreateFixtureAsync(Fixture);
        var check = await CreateSource().CheckAsync(config, CancellationToken.None);
        Assert.True(check.Succeeded, check.Message);
    }

    /// <summary>Every row of a stream's batches as canonical text per column (by the column's field type).</summary>
    protected static List<Dictionary<string, string?>> Rows(IEnumerable<SourceMessage> messages, StreamDescriptor stream)
    {
        var rows = new List<Dictionary<string, string?>>();
        foreach (var message in messages.OfType<RecordBatchMessage>().Where(m => m.Stream == stream))
            rows.AddRange(Rows(message.Batch));
        return rows;
    }

    protected static IEnumerable<Dictionary<string, string?>> Rows(RecordBatch batch)
    {
        var fields = batch.Schema.FieldsList;
        for (var row = 0; row < batch.Length; row++)
        {
            var values = new Dictionary<string, string?>();
            for (var c = 0; c < fields.Count; c++)
                values[fields[c].Name] = ValueCanon.Of(ArrowTypes.LogicalTypeOf(fields[c]), ArrowValues.Get(batch.Column(c), row));
            yield return values;
        }
    }
}
