using System.Text.Json.Nodes;
using Sluice.Connectors.Sample;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.State;
using Sluice.Engine.Pipeline;

namespace Sluice.Engine.Tests;

internal static class JsonTestExtensions
{
    public static long AsLong(this JsonNode? node) => Core.Config.JsonNumbers.Int64(node)!.Value;
}

public sealed class SyncEngineTests
{
    private static readonly SampleSource Source = new();
    private static readonly JsonObject SourceConfig = new() { ["customers"] = 2500, ["products"] = 10, ["orders"] = 0, ["batch_rows"] = 1000 };

    private static async Task<ConfiguredCatalog> CatalogAsync(string stream, Func<ConfiguredStream, ConfiguredStream>? configure = null)
    {
        var discovered = await Source.DiscoverAsync(SourceConfig, CancellationToken.None);
        var configured = ConfiguredCatalog.AllStreams(discovered).Streams.Where(s => s.Stream.Name == stream).Select(configure ?? (s => s)).ToList();
        return new ConfiguredCatalog(configured);
    }

    private static SyncRequest Request(ConfiguredCatalog catalog, MemoryDestination destination, SyncState? state = null) => new()
    {
        Source = Source,
        SourceConfig = SourceConfig,
        Destination = destination,
        DestinationConfig = new JsonObject(),
        Catalog = catalog,
        State = state ?? SyncState.Empty,
        SyncId = 7,
        ChannelCapacity = 2,
    };

    [Fact]
    public async Task Checkpoints_reach_the_state_only_after_the_destination_committed_their_rows()
    {
        var destination = new MemoryDestination { CommitEvery = 2 };
        var saved = new List<(Checkpoint Checkpoint, long CommittedRows)>();
        var callbacks = new SyncCallbacks
        {
            CheckpointCommitted = (c, _) =>
            {
                saved.Add((c, destination.Committed.Sum(b => b.Length)));
                return Task.CompletedTask;
            },
        };

        var stats = await new SyncEngine().RunAsync(Request(await CatalogAsync("customers"), destination), callbacks, CancellationToken.None);

        Assert.Equal(2500, stats.RecordsRead);
        Assert.Equal(2500, destination.Committed.Sum(b => b.Length));
        Assert.NotEmpty(saved);
        foreach (var (checkpoint, committedRows) in saved)
        {
            // A checkpoint covers every row before it; those rows must already be committed.
            Assert.True(checkpoint.Data["cursor"].AsLong() <= committedRows, $"checkpoint {checkpoint.Data} saved with only {committedRows} rows committed");
            Assert.Equal(checkpoint.Data["cursor"].AsLong(), checkpoint.RecordCount);
        }
        Assert.Equal(2500, saved[^1].Checkpoint.Data["cursor"].AsLong());
        Assert.Equal(2500, stats.RecordsCommitted);
    }

    [Fact]
    public async Task A_failing_destination_fails_the_sync_and_saves_no_state_past_its_last_commit()
    {
        var destination = new MemoryDestination { CommitEvery = 1, FailAfterBatches = 2 };
        var saved = new List<Checkpoint>();
        var callbacks = new SyncCallbacks { CheckpointCommitted = (c, _) => { saved.Add(c); return Task.CompletedTask; } };

        var request = Request(await CatalogAsync("customers"), destination);
        var error = await Assert.ThrowsAsync<IOException>(() => new SyncEngine().RunAsync(request, callbacks, CancellationToken.None));

        Assert.Contains("disk full", error.Message);
        Assert.All(saved, c => Assert.True(c.Data["cursor"].AsLong() <= destination.Committed.Sum(b => b.Length)));
    }

    [Fact]
    public async Task Incremental_sync_resumes_after_the_saved_cursor()
    {
        var destination = new MemoryDestination();
        var catalog = await CatalogAsync("customers", s => s with { SyncMode = SyncMode.Incremental, CursorField = ["id"] });
        var state = SyncState.Empty.With(new Checkpoint(new StreamDescriptor("customers"), new JsonObject { ["cursor"] = 2000 }));

        var stats = await new SyncEngine().RunAsync(Request(catalog, destination, state), SyncCallbacks.None, CancellationToken.None);

        Assert.Equal(500, stats.RecordsRead);
        Assert.Equal(2001L, ArrowValues.Get(destination.Committed[0].Column(0), 0));
    }

    [Fact]
    public async Task Mappings_rename_hash_mask_and_drop_columns_before_the_destination()
    {
        var destination = new MemoryDestination();
        var catalog = await CatalogAsync("customers", s => s with
        {
            Mappings =
            [
                new ColumnMapping("email", ColumnMappingKind.Hash),
                new ColumnMapping("name", ColumnMappingKind.Mask),
                new ColumnMapping("country", ColumnMappingKind.Drop),
                new ColumnMapping("is_vip", ColumnMappingKind.Rename, "vip"),
            ],
        });

        await new SyncEngine().RunAsync(Request(catalog, destination), SyncCallbacks.None, CancellationToken.None);

        var batch = destination.Committed[0];
        var names = batch.Schema.FieldsList.Select(f => f.Name).ToList();
        Assert.Equal(["id", "name", "email", "vip", "created_at"], names);
        Assert.Equal("****", ArrowValues.ToText(batch.Column(1), 0));
        // sha256("customer1@example.com")
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("customer1@example.com"u8)), ArrowValues.ToText(batch.Column(2), 0));
        Assert.Equal(["id", "name", "email", "vip", "created_at"], destination.SeenCatalog!.Streams[0].Stream.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task A_slow_destination_holds_the_source_back_to_the_channel_capacity()
    {
        var destination = new MemoryDestination { CommitEvery = 100, DelayPerBatch = TimeSpan.FromMilliseconds(20) };
        var maxAhead = 0L;
        var callbacks = new SyncCallbacks
        {
            ProgressInterval = TimeSpan.FromMilliseconds(5),
            Progress = s => maxAhead = Math.Max(maxAhead, s.RecordsRead - destination.Events.Count(e => e.StartsWith("batch", StringComparison.Ordinal)) * 1000L),
        };

        await new SyncEngine().RunAsync(Request(await CatalogAsync("customers"), destination), callbacks, CancellationToken.None);

        // Capacity 2 batches in the channel, plus one being built and one in the reader's hand: never the whole table.
        Assert.InRange(maxAhead, 0, 4 * 1000);
    }
}
