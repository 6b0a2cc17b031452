using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// PostgreSQL to PostgreSQL full refresh by raw binary COPY: bytes go from one server to the other undecoded, and
/// the source query appends the metadata columns as constants. Overwrite loads a staging table without indexes,
/// adds the primary key, then swaps in one transaction; big tables split into CTID ranges copied in parallel.
/// </summary>
public sealed class PostgresDirectTransfer : IDirectTransfer
{
    /// <summary>Connection pairs for one overwrite of a big table (append stays on one pair: it must be one transaction).</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Tables smaller than this go through one pair: splitting costs more than it gains on small tables.</summary>
    public long ParallelThresholdBytes { get; init; } = 64L << 20;

    public bool CanTransfer(ISource source, IDestination destination, ConfiguredStream stream) =>
        source is PostgresConnector && destination is PostgresConnector
        && stream.SyncMode == SyncMode.FullRefresh
        && (stream.DestinationSyncMode == DestinationSyncMode.Overwrite
            // Append with a key goes through the pipeline instead: it reads in key ranges and resumes after a failure.
            || (stream.DestinationSyncMode == DestinationSyncMode.Append && stream.PrimaryKey.Count == 0 && stream.Stream.PrimaryKey.Count == 0))
        && stream.Mappings.All(m => m.Kind is ColumnMappingKind.Drop or ColumnMappingKind.Rename);

    public async Task<DirectTransferResult> TransferAsync(JsonObject sourceConfig, JsonObject destinationConfig, ConfiguredStream stream,
        WriteContext context, IProgress<DirectTransferProgress> progress, CancellationToken cancellationToken)
    {
        var source = PostgresConfig.Parse(sourceConfig);
        var destination = PostgresConfig.Parse(destinationConfig);
        var plan = await PostgresTransferPlan.CreateAsync(source, stream, context, cancellationToken);
        var overwrite = stream.DestinationSyncMode == DestinationSyncMode.Overwrite;
        var schema = stream.DestinationNamespace ?? destination.Schema;
        var target = stream.TargetName;
        var ranges = overwrite && MaxParallelism > 1 && plan.TableBytes >= ParallelThresholdBytes ? plan.Ranges(MaxParallelism) : [""];

        await using var control = await OpenDestinationAsync(destination, cancellationToken);
        await PostgresTable.EnsureSchemaAsync(control, schema, cancellationToken);
        var table = overwrite ? PostgresTable.StagingName(target, context.SyncId) : target;
        long bytes = 0;
        void OnBytes(long n)
        {
            var total = Interlocked.Add(ref bytes, n);
            if (total / (16 << 20) != (total - n) / (16 << 20))
                progress.Report(new DirectTransferProgress(0, total));
        }

        var committedStaging = false;
        try
        {
            await using var transaction = await control.BeginTransactionAsync(cancellationToken);
            if (overwrite)
                await PostgresTable.ExecuteAsync(control, PostgresTable.CreateSql(schema, table, plan.DestinationColumns, ifNotExists: false), cancellationToken);
            else
                await PrepareAppendAsync(control, schema, table, plan.DestinationColumns, cancellationToken);
            var copyIn = $"COPY {Qualified(schema, table)} ({string.Join(", ", plan.DestinationColumns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY";

            if (ranges.Count == 1)
            {
                // One pair: load inside the swap's transaction, FREEZE allowed since the staging table is new in it.
                await using var reader = await PostgresErrors.OpenAsync(source, cancellationToken, "sluice-transfer-read");
                await PostgresCopyPump.PumpAsync(reader, plan.CopyOut(""), control, copyIn + (overwrite ? ", FREEZE)" : ")"), OnBytes, cancellationToken);
            }
            else
            {
                // Several pairs need the staging table committed first, and one exported snapshot so every range
                // reads the same version of the source.
                await transaction.CommitAsync(cancellationToken);
                committedStaging = true;
                await CopyRangesAsync(source, destination, plan, ranges, copyIn + ")", OnBytes, cancellationToken);
            }

            await using var finish = committedStaging ? await control.BeginTransactionAsync(cancellationToken) : null;
            var rows = await CountAsync(control, schema, table, context.SyncId, cancellationToken);
            if (overwrite)
            {
                var key = stream.PrimaryKey.Where(p => p.Count > 0).Select(p => plan.DestinationName(p[0])).ToList();
                if (key.Any(k => k is null))
                    key = [];
                await PostgresTable.AddPrimaryKeyAsync(control, schema, table, key!, cancellationToken);
                await PostgresTable.SwapAsync(control, schema, table, target, key.Count > 0, cancellationToken);
            }
            await (finish ?? transaction).CommitAsync(cancellationToken);
            committedStaging = false;
            progress.Report(new DirectTransferProgress(rows, bytes));
            return new DirectTransferResult(rows, bytes);
        }
        finally
        {
            if (committedStaging)
                await DropQuietlyAsync(destination, schema, table);
        }
    }

    private static async Task CopyRangesAsync(PostgresConfig source, PostgresConfig destination, PostgresTransferPlan plan,
        IReadOnlyList<string> ranges, string copyIn, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var readers = new List<NpgsqlConnection>();
        var writers = new List<NpgsqlConnection>();
        try
        {
            foreach (var _ in ranges)
            {
                readers.Add(await PostgresErrors.OpenAsync(source, cancellationToken, "sluice-transfer-read"));
                writers.Add(await OpenDestinationAsync(destination, cancellationToken));
            }
            await PostgresTable.ExecuteAsync(readers[0], "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", cancellationToken);
            await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", readers[0]))
            {
                var snapshot = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
                foreach (var reader in readers.Skip(1))
                    await PostgresTable.ExecuteAsync(reader, $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT {Literal(snapshot)}", cancellationToken);
            }
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAll(ranges.Select(async (range, i) =>
            {
                try
                {
                    await PostgresCopyPump.PumpAsync(readers[i], plan.CopyOut(range), writers[i], copyIn, onBytes, failed.Token);
                }
                catch
                {
                    await failed.CancelAsync(); // stop the other ranges early
                    throw;
                }
            }));
        }
        finally
        {
            foreach (var connection in readers.Concat(writers))
                await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// synchronous_commit stays on: a load commits once (or once per range), so skipping that WAL flush saves
    /// milliseconds, while reporting success for a swap a crash could still lose would break the state guarantee.
    /// </summary>
    private static Task<NpgsqlConnection> OpenDestinationAsync(PostgresConfig config, CancellationToken cancellationToken) =>
        PostgresErrors.OpenAsync(config, cancellationToken, "sluice-transfer-write");

    private static async Task PrepareAppendAsync(NpgsqlConnection connection, string schema, string table, IReadOnlyList<PostgresTable.Column> columns, CancellationToken cancellationToken)
    {
        var existing = await PostgresTable.ColumnsAsync(connection, schema, table, cancellationToken);
        if (existing is null)
        {
            await PostgresTable.ExecuteAsync(connection, PostgresTable.CreateSql(schema, table, columns, ifNotExists: true), cancellationToken);
            return;
        }
        foreach (var column in columns)
        {
            if (!existing.TryGetValue(column.Name, out var type))
                await PostgresTable.ExecuteAsync(connection, $"ALTER TABLE {Qualified(schema, table)} ADD COLUMN {Quote(column.Name)} {column.NativeType}", cancellationToken);
            else if (!PostgresTable.BinaryCompatible(type, column.NativeType))
                throw new InvalidOperationException($"column {column.Name} of {schema}.{table} is {type} but the source sends {column.NativeType}; binary COPY needs identical types: alter the column or sync with overwrite");
        }
    }

    /// <summary>Counted after the load rather than parsed out of the byte stream: one scan of warm pages, no per-row work in the pump.</summary>
    private static async Task<long> CountAsync(NpgsqlConnection connection, string schema, string table, long syncId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Qualified(schema, table)} WHERE {Quote(WriteContext.SyncIdColumn)} = {syncId}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task DropQuietlyAsync(PostgresConfig config, string schema, string table)
    {
        try
        {
            await using var connection = await PostgresErrors.OpenAsync(config, CancellationToken.None, "sluice-cleanup");
            await PostgresTable.ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Qualified(schema, table)}", CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or ConnectorUnavailableException)
        {
            // Best effort: the staging table carries the sync id, so a leftover is recognisable and harmless.
        }
    }
}
