using System.Runtime.CompilerServices;
using Apache.Arrow;
using MySqlConnector;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Applies a source's messages to MySQL over one connection. Rows load inside a transaction that a checkpoint
/// commits before the checkpoint is handed back; an overwrite stream's checkpoints wait until its staging table has
/// replaced the real one. DDL commits implicitly in MySQL, so the open transaction is committed before any.
/// </summary>
internal sealed class MySqlWriter(MySqlConfig config)
{
    private MySqlConnection _connection = null!;
    private MySqlTransaction? _transaction;
    private IMySqlLoader _loader = null!;

    public async IAsyncEnumerable<Checkpoint> WriteAsync(ConfiguredCatalog catalog, IAsyncEnumerable<SourceMessage> messages, WriteContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var targets = catalog.Streams.ToDictionary(s => s.Descriptor, s => new MySqlTarget(s, config.Database));
        await using var connection = _connection = await MySqlErrors.OpenAsync(config, forWriting: true, cancellationToken);
        // Strict mode turns a value that does not fit into an error instead of a silent change; no NO_BACKSLASH_ESCAPES
        // because the INSERT loader escapes with backslashes.
        await MySqlDdl.ExecuteAsync(connection, "set time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', " +
            "net_read_timeout = 7200, net_write_timeout = 7200", cancellationToken);
        _loader = await ChooseLoaderAsync(cancellationToken);
        (string, object)[] constants = [(WriteContext.ExtractedAtColumn, MySqlValues.TimestampText(context.ExtractedAt)), (WriteContext.SyncIdColumn, context.SyncId)];
        var globalPending = new List<Checkpoint>();

        await foreach (var message in messages.WithCancellation(cancellationToken))
        {
            switch (message)
            {
                case RecordBatchMessage { Batch.Length: > 0 } batch:
                    var target = Target(targets, batch.Stream);
                    target.Seen = true;
                    await PrepareAsync(target, batch.Batch, cancellationToken);
                    _transaction ??= await connection.BeginTransactionAsync(cancellationToken);
                    var into = target.QuotedLoadTable;
                    if (target.Dedup is not null)
                    {
                        await target.Dedup.EnsureBufferAsync(connection, _transaction, cancellationToken);
                        into = target.Dedup.QuotedBuffer;
                    }
                    await _loader.LoadAsync(connection, _transaction, into, batch.Batch, target.BatchColumns, constants, cancellationToken);
                    break;
                case CheckpointMessage { Checkpoint: var checkpoint } when checkpoint.Stream is null:
                    if (targets.Values.Any(t => t.Overwrite && t.Seen && !t.Finished))
                    {
                        globalPending.Add(checkpoint);
                        break;
                    }
                    await CommitAsync(targets.Values, cancellationToken);
                    yield return checkpoint;
                    break;
                case CheckpointMessage { Checkpoint: var checkpoint }:
                    var owner = Target(targets, checkpoint.Stream!);
                    owner.Seen = true;
                    if (owner.Overwrite && !owner.Finished)
                    {
                        owner.Pending.Add(checkpoint);
                        break;
                    }
                    await CommitWithStateAsync(owner, checkpoint, context, cancellationToken);
                    yield return checkpoint;
                    break;
                case StreamStatusMessage { Status: StreamStatus.Started } started:
                    Target(targets, started.Stream).Seen = true;
                    break;
                case StreamStatusMessage { Status: StreamStatus.Complete } complete:
                    var done = Target(targets, complete.Stream);
                    done.Seen = true;
                    await FinishAsync(done, context, cancellationToken);
                    foreach (var pending in done.Pending)
                        yield return pending;
                    done.Pending.Clear();
                    break;
            }
        }

        // The source ended without failing: every stream it spoke of is complete, even without a status message.
        await CommitAsync(targets.Values, cancellationToken);
        foreach (var target in targets.Values.Where(t => t.Seen && !t.Finished))
        {
            await FinishAsync(target, context, cancellationToken);
            foreach (var pending in target.Pending)
                yield return pending;
        }
        foreach (var checkpoint in globalPending)
            yield return checkpoint;
    }

    private async Task<IMySqlLoader> ChooseLoaderAsync(CancellationToken cancellationToken)
    {
        if (config.LoadMethod == "insert")
            return new MySqlInsertLoader();
        await using var command = new MySqlCommand("select @@local_infile", _connection);
        var enabled = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) != 0;
        if (enabled)
            return new MySqlLoadDataLoader();
        if (config.LoadMethod == "load_data")
            throw new ConfigException("load_method", $"is load_data but the server at {config.Endpoint} has local_infile off",
                "run SET GLOBAL local_infile = 1 on the server, or use load_method auto or insert");
        return new MySqlInsertLoader();
    }

    private static MySqlTarget Target(Dictionary<StreamDescriptor, MySqlTarget> targets, StreamDescriptor stream) =>
        targets.TryGetValue(stream, out var target)
            ? target
            : throw new InvalidOperationException($"the source sent stream {stream}, which the configured catalog does not have");

    /// <summary>Creates the load table on the stream's first batch, from the batch's own schema (mappings already applied).</summary>
    private async Task PrepareAsync(MySqlTarget target, RecordBatch batch, CancellationToken cancellationToken)
    {
        if (target.Columns is not null)
        {
            if (target.BatchColumns.Count > 0 && target.BatchColumns[^1] >= batch.ColumnCount)
                throw new InvalidOperationException($"stream {target.Stream.Descriptor} changed its columns in the middle of a sync");
            return;
        }
        var indexes = Enumerable.Range(0, batch.ColumnCount).Where(i => !WriteContext.IsMetadataColumn(batch.Schema.GetFieldByIndex(i).Name)).ToList();
        var columns = indexes.Select(i => ArrowTypes.ToColumn(batch.Schema.GetFieldByIndex(i))).ToList();
        await CreateLoadTableAsync(target, columns, cancellationToken);
        target.BatchColumns = indexes;
    }

    private async Task CreateLoadTableAsync(MySqlTarget target, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken)
    {
        await CommitAsync(cancellationToken);
        if (target.Overwrite)
        {
            // A staging table left by a crashed run holds nothing worth keeping.
            await MySqlDdl.ExecuteAsync(_connection, $"drop table if exists {target.QuotedLoadTable}", cancellationToken);
            await MySqlDdl.ExecuteAsync(_connection, MySqlDdl.CreateTable(target.QuotedLoadTable, columns, target.KeyColumns, ifNotExists: false, uniqueKey: target.Dedup is not null), cancellationToken);
        }
        else
        {
            await MySqlDdl.ExecuteAsync(_connection, MySqlDdl.CreateTable(target.QuotedLoadTable, columns, target.KeyColumns, ifNotExists: true, uniqueKey: target.Dedup is not null), cancellationToken);
            await MySqlDdl.AddMissingColumnsAsync(_connection, target.Database, target.LoadTable, columns, cancellationToken);
            await MySqlStateTable.EnsureAsync(_connection, target.Database, cancellationToken);
        }
        if (target.Dedup is not null)
            await target.Dedup.EnsureUniqueKeyAsync(_connection, cancellationToken);
        target.Columns = columns;
    }

    /// <summary>
    /// Commits the stream's rows and, for overwrite, swaps the staging table in (creating an empty one for an empty
    /// stream). The swap is DDL, committed on its own; the last held checkpoint is saved right after it.
    /// </summary>
    private async Task FinishAsync(MySqlTarget target, WriteContext context, CancellationToken cancellationToken)
    {
        if (target.Finished)
            return;
        await CommitAsync([target], cancellationToken);
        if (target.Columns is null)
            await CreateLoadTableAsync(target, target.CatalogColumns(), cancellationToken);
        if (target.Dedup is not null)
            await target.Dedup.DropBufferAsync(_connection, cancellationToken);
        if (target.Overwrite)
        {
            await MySqlDdl.SwapAsync(_connection, target.Database, target.Table, target.LoadTable, cancellationToken);
            if (target.Pending.Count > 0)
            {
                await MySqlStateTable.EnsureAsync(_connection, target.Database, cancellationToken);
                await MySqlStateTable.SaveAsync(_connection, null, target, context.SyncId, target.Pending[^1].Data, cancellationToken);
            }
        }
        target.Finished = true;
    }

    /// <summary>Merges the stream's buffered rows, records the checkpoint in <c>_sluice_state</c> and commits both with the rows.</summary>
    private async Task CommitWithStateAsync(MySqlTarget target, Checkpoint checkpoint, WriteContext context, CancellationToken cancellationToken)
    {
        if (target.Columns is null)
            await CreateLoadTableAsync(target, target.CatalogColumns(), cancellationToken);
        _transaction ??= await _connection.BeginTransactionAsync(cancellationToken);
        await MySqlStateTable.SaveAsync(_connection, _transaction, target, context.SyncId, checkpoint.Data, cancellationToken);
        await CommitAsync([target], cancellationToken);
    }

    /// <summary>Merges the buffered rows of the given deduped streams, then commits.</summary>
    private async Task CommitAsync(IEnumerable<MySqlTarget> merging, CancellationToken cancellationToken)
    {
        if (_transaction is null)
            return;
        foreach (var target in merging.Where(t => t.Dedup is not null && t.Columns is not null && !t.Finished))
            await target.Dedup!.MergeAsync(_connection, _transaction, MySqlDedup.MergedColumns(target), cancellationToken);
        await CommitAsync(cancellationToken);
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is null)
            return;
        await _transaction.CommitAsync(cancellationToken);
        await _transaction.DisposeAsync();
        _transaction = null;
    }
}
