using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// The behaviour every destination shares. A subclass gives the destination, a config for a fresh empty target
/// (new for each test: xunit makes a new instance per test) and a way to read back what landed there.
/// </summary>
public abstract class DestinationCompliance
{
    protected static readonly WriteContext Context =
        new(SyncId: 4242, ExtractedAt: new DateTimeOffset(2025, 1, 2, 3, 4, 5, 123, 456, TimeSpan.Zero));

    protected abstract IDestination CreateDestination();

    /// <summary>A config that points at a fresh, empty target. Called once per test.</summary>
    protected abstract JsonObject FreshConfig();

    /// <summary>A config with one bad field, and that field's path as ConfigException.Field should name it.</summary>
    protected abstract (JsonObject Config, string Field) InvalidConfig();

    /// <summary>The rows in the stream's target (table, file set), or null when the target does not exist.</summary>
    protected abstract Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream);

    /// <summary>False when an empty target cannot record its columns (JSON lines): only its existence is checked.</summary>
    protected virtual bool EmptyTargetKeepsColumns => true;

    private JsonObject? _config;
    protected JsonObject Config => _config ??= FreshConfig();

    protected async Task<List<Checkpoint>> WriteAsync(ConfiguredCatalog catalog, IEnumerable<SourceMessage> messages,
        Func<Checkpoint, Task>? onCheckpoint = null)
    {
        var committed = new List<Checkpoint>();
        await foreach (var checkpoint in CreateDestination().WriteAsync(Config, catalog, MessageStreams.Async(messages), Context, CancellationToken.None))
        {
            committed.Add(checkpoint);
            if (onCheckpoint is not null)
                await onCheckpoint(checkpoint);
        }
        return committed;
    }

    protected Task<List<Checkpoint>> WriteAsync(SampleTable table, DestinationSyncMode mode, int rowsPerBatch = int.MaxValue) =>
        WriteAsync(table.Catalog(mode), MessageStreams.Stream(table, rowsPerBatch));

    [Fact]
    public async Task Writes_every_common_type_with_nulls_and_yields_each_checkpoint_after_its_rows_are_readable()
    {
        var table = SampleBatches.AllTypes();
        var stream = table.Configure(DestinationSyncMode.Append);
        // One row per batch: checkpoint n covers rows 1..n and must find them readable when it is yielded.
        var checkpoints = await WriteAsync(table.Catalog(DestinationSyncMode.Append), MessageStreams.Stream(table, rowsPerBatch: 1), async checkpoint =>
        {
            var written = await ReadBackAsync(Config, stream);
            Assert.NotNull(written);
            Assert.True(written.Rows.Count >= MessageStreams.Number(checkpoint),
                $"checkpoint {MessageStreams.Number(checkpoint)} was yielded before its rows were readable ({written.Rows.Count} rows)");
        });

        Assert.Equal([1, 2, 3], checkpoints.Select(MessageStreams.Number));
        AssertRows(table, await ReadBackAsync(Config, stream));
    }

    [Fact]
    public async Task Overwrite_replaces_what_was_there()
    {
        await WriteAsync(SampleBatches.Simple("replaced", 1, 5), DestinationSyncMode.Overwrite);
        var second = SampleBatches.Simple("replaced", 100, 3);
        var checkpoints = await WriteAsync(second, DestinationSyncMode.Overwrite);

        Assert.Single(checkpoints);
        AssertRows(second, await ReadBackAsync(Config, second.Configure()));
    }

    [Fact]
    public async Task Append_keeps_what_was_there()
    {
        var first = SampleBatches.Simple("appended", 1, 4);
        var second = SampleBatches.Simple("appended", 10, 3);
        await WriteAsync(first, DestinationSyncMode.Append);
        await WriteAsync(second, DestinationSyncMode.Append, rowsPerBatch: 2);

        AssertRows(first.WithRows([.. first.Rows, .. second.Rows]), await ReadBackAsync(Config, first.Configure(DestinationSyncMode.Append)));
    }

    [Fact]
    public async Task Every_row_carries_the_metadata_columns()
    {
        var table = SampleBatches.Simple("with_metadata", 1, 3);
        await WriteAsync(table, DestinationSyncMode.Overwrite);

        var written = await ReadBackAsync(Config, table.Configure());
        Assert.NotNull(written);
        Assert.Contains(WriteContext.ExtractedAtColumn, written.Columns);
        Assert.Contains(WriteContext.SyncIdColumn, written.Columns);
        Assert.Equal(3, written.Rows.Count);
        foreach (var row in written.Rows)
        {
            Assert.Equal(ValueCanon.Of(LogicalType.TimestampTz, Context.ExtractedAt), ValueCanon.Of(LogicalType.TimestampTz, row[WriteContext.ExtractedAtColumn]));
            Assert.Equal(Context.SyncId.ToString(System.Globalization.CultureInfo.InvariantCulture), ValueCanon.Of(LogicalType.Int64, row[WriteContext.SyncIdColumn]));
        }
    }

    [Fact]
    public async Task Identifiers_keep_case_unicode_quotes_and_reserved_words()
    {
        var table = SampleBatches.Identifiers();
        await WriteAsync(table, DestinationSyncMode.Overwrite);

        var written = await ReadBackAsync(Config, table.Configure());
        Assert.NotNull(written);
        foreach (var column in table.Columns)
            Assert.Contains(column.Name, written.Columns);
        AssertRows(table, written);
    }

    [Fact]
    public async Task Invalid_config_names_the_field()
    {
        var (config, field) = InvalidConfig();
        var table = SampleBatches.Simple("never", 1, 1);
        var error = await Assert.ThrowsAnyAsync<ConfigException>(async () =>
        {
            await foreach (var _ in CreateDestination().WriteAsync(config, table.Catalog(), MessageStreams.Async(MessageStreams.Stream(table)), Context, CancellationToken.None))
            {
            }
        });
        Assert.Equal(field, error.Field);

        var check = await CreateDestination().CheckAsync(config, CancellationToken.None);
        Assert.False(check.Succeeded);
        Assert.Contains(field, check.Message);
    }

    [Fact]
    public async Task An_empty_stream_still_creates_its_target()
    {
        var table = SampleBatches.Simple("empty_stream", 1, 0);
        var checkpoints = await WriteAsync(table.Catalog(), [
            new StreamStatusMessage(table.Descriptor, StreamStatus.Started),
            new CheckpointMessage(MessageStreams.Checkpoint(table.Descriptor, 1)),
            new StreamStatusMessage(table.Descriptor, StreamStatus.Complete),
        ]);

        Assert.Single(checkpoints);
        var written = await ReadBackAsync(Config, table.Configure());
        Assert.NotNull(written);
        Assert.Empty(written.Rows);
        if (EmptyTargetKeepsColumns)
            foreach (var column in table.Columns)
                Assert.Contains(column.Name, written.Columns);
    }

    [Fact]
    public async Task Check_succeeds_on_a_fresh_target()
    {
        var check = await CreateDestination().CheckAsync(Config, CancellationToken.None);
        Assert.True(check.Succeeded, check.Message);
    }

    /// <summary>Asserts the target holds exactly the table's rows (any order), compared by canonical text per type.</summary>
    protected static void AssertRows(SampleTable expected, WrittenTable? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        var key = expected.KeyColumn;
        var keyType = expected.TypeOf(key);
        var actualByKey = actual.Rows.ToDictionary(r => ValueCanon.Of(keyType, r[key])!);
        foreach (var row in expected.Rows)
        {
            var id = ValueCanon.Of(keyType, row[0])!;
            Assert.True(actualByKey.TryGetValue(id, out var got), $"row {key}={id} is missing");
            for (var c = 0; c < expected.Columns.Count; c++)
            {
                var column = expected.Columns[c];
                Assert.True(got.ContainsKey(column.Name), $"column '{column.Name}' is missing");
                var want = ValueCanon.Of(column.Type, row[c]);
                var have = ValueCanon.Of(column.Type, got[column.Name]);
                Assert.True(want == have, $"row {key}={id}, column '{column.Name}' ({column.Type}): expected <{want}> but got <{have}>");
            }
        }
    }
}
