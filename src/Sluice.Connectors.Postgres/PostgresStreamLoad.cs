using System.Buffers.Binary;
using Apache.Arrow;
using Npgsql;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.State;
using Sluice.Core.Types;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Loads one stream into one table on its own connection. Overwrite runs in a single transaction (create staging,
/// COPY FREEZE, primary key, swap) so a failure leaves the old table untouched and no staging table behind; append
/// commits at each checkpoint.
/// </summary>
internal sealed class PostgresStreamLoad(PostgresConfig config, ConfiguredStream stream, WriteContext context) : IAsyncDisposable
{
    private readonly PgCopyBuffer _buffer = new();
    private readonly bool _overwrite = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
    private readonly string _schema = stream.DestinationNamespace ?? config.Schema;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private NpgsqlRawCopyStream? _copy;
    private string[]? _fieldNames;
    private int[] _dataFields = [];
    private string _table = "";
    private string _copySql = "";
    private byte[] _metadataFields = [];
    private readonly PostgresDedup? _dedup = stream.DestinationSyncMode is DestinationSyncMode.AppendDedup or DestinationSyncMode.OverwriteDedup
        ? new PostgresDedup(stream.DestinationNamespace ?? config.Schema, PostgresDedup.KeysOf(stream), stream.CursorField.FirstOrDefault())
        : null;
    private IReadOnlyList<string> _columnNames = [];

    public ConfiguredStream Stream => stream;
    public bool Overwrite => _overwrite;
    /// <summary>Checkpoints waiting for this stream's commit (overwrite commits only at the swap).</summary>
    public List<Checkpoint> HeldCheckpoints { get; } = [];

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (_fieldNames is null)
            await StartAsync(batch.Schema, cancellationToken);
        else if (!batch.Schema.FieldsList.Select(f => f.Name).SequenceEqual(_fieldNames))
            throw new InvalidOperationException($"stream {stream.Descriptor} changed its columns mid-sync");
        if (_copy is null)
            await BeginCopyAsync(cancellationToken);

        var encoders = _dataFields.Select(i => PgColumnEncoder.For(batch.Column(i), ArrowTypes.LogicalTypeOf(batch.Schema.GetFieldByIndex(i)))).ToArray();
        var fieldCount = (short)(encoders.Length + PostgresTable.MetadataColumns.Length);
        for (var row = 0; row < batch.Length; row++)
        {
            _buffer.WriteInt16(fieldCount);
            foreach (var encoder in encoders)
                encoder.Write(row, _buffer);
            _metadataFields.CopyTo(_buffer.Reserve(_metadataFields.Length));
            if (_buffer.ShouldFlush)
                await _buffer.FlushAsync(_copy!, cancellationToken);
        }
    }

    /// <summary>
    /// Append: makes everything so far durable, with the checkpoint in <c>_sluice_state</c> in the same transaction,
    /// so the checkpoint may be released and a crash after the commit loses nothing.
    /// </summary>
    public async Task CommitAsync(Checkpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (_overwrite)
            return;
        if (_fieldNames is null && checkpoint is not null)
            await StartAsync(ArrowTypes.ToSchema(stream.ReadColumns()), cancellationToken); // the state row needs the transaction
        if (_transaction is null)
            return;
        await EndCopyAsync(cancellationToken);
        if (_dedup is not null)
            await _dedup.MergeAsync(_connection!, _table, _columnNames, cancellationToken);
        if (checkpoint is not null)
            await PostgresStateTable.SaveAsync(_connection!, _schema, _table, stream.Descriptor, context.SyncId, checkpoint.Data, cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        _transaction = await _connection!.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>Finishes the table: a stream that sent no batch still gets its (empty) table, from the catalog's columns.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_fieldNames is null)
            await StartAsync(ArrowTypes.ToSchema(stream.ReadColumns()), cancellationToken);
        await EndCopyAsync(cancellationToken);
        if (_dedup is not null)
            await _dedup.MergeAsync(_connection!, _table, _columnNames, cancellationToken);
        if (_overwrite)
        {
            var key = PrimaryKeyColumns();
            if (_dedup is null)
                await PostgresTable.AddPrimaryKeyAsync(_connection!, _schema, _table, key, cancellationToken);
            await PostgresTable.SwapAsync(_connection!, _schema, _table, stream.TargetName, key.Count > 0, cancellationToken);
        }
        if (HeldCheckpoints.LastOrDefault() is { } last)
            await PostgresStateTable.SaveAsync(_connection!, _schema, stream.TargetName, stream.Descriptor, context.SyncId, last.Data, cancellationToken);
        await _transaction!.CommitAsync(cancellationToken);
        _transaction = null;
    }

    private IReadOnlyList<string> PrimaryKeyColumns()
    {
        var key = stream.PrimaryKey.Where(p => p.Count > 0).Select(p => p[0]).ToList();
        return key.All(k => _fieldNames!.Contains(k)) ? key : [];
    }

    private async Task StartAsync(Schema schema, CancellationToken cancellationToken)
    {
        var metadataNames = PostgresTable.MetadataColumns.Select(c => c.Name).ToHashSet();
        _fieldNames = schema.FieldsList.Select(f => f.Name).ToArray();
        // A source table that already carries Sluice's columns (a Sluice-loaded table) gets them replaced, not duplicated.
        _dataFields = Enumerable.Range(0, _fieldNames.Length).Where(i => !metadataNames.Contains(_fieldNames[i])).ToArray();
        var columns = _dataFields
            .Select(i => new PostgresTable.Column(_fieldNames[i], PostgresTypeMap.ToNative(ArrowTypes.LogicalTypeOf(schema.GetFieldByIndex(i)))))
            .Concat(PostgresTable.MetadataColumns).ToList();
        _metadataFields = MetadataFields();

        _connection = await PostgresErrors.OpenAsync(config, cancellationToken, "sluice-write");
        await PostgresTable.EnsureSchemaAsync(_connection, _schema, cancellationToken);
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        if (_overwrite)
        {
            _table = PostgresTable.StagingName(stream.TargetName, context.SyncId);
            await PostgresTable.ExecuteAsync(_connection, PostgresTable.CreateSql(_schema, _table, columns, ifNotExists: false), cancellationToken);
        }
        else
        {
            _table = stream.TargetName;
            await PrepareAppendTableAsync(columns, cancellationToken);
        }
        _columnNames = columns.Select(c => c.Name).ToList();
        var copyTarget = Qualified(_schema, _table);
        if (_dedup is not null)
        {
            if (_overwrite)
                await PostgresTable.AddPrimaryKeyAsync(_connection, _schema, _table, PrimaryKeyColumns(), cancellationToken);
            else
                await _dedup.EnsureUniqueKeyAsync(_connection, _table, cancellationToken);
            await PostgresDedup.CreateTempAsync(_connection, columns, cancellationToken);
            copyTarget = "pg_temp." + Quote(PostgresDedup.TempTable);
        }
        var freeze = _overwrite && _dedup is null ? ", FREEZE" : "";
        _copySql = $"COPY {copyTarget} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY{freeze})";
    }

    private async Task PrepareAppendTableAsync(List<PostgresTable.Column> columns, CancellationToken cancellationToken)
    {
        var existing = await PostgresTable.ColumnsAsync(_connection!, _schema, _table, cancellationToken);
        if (existing is null)
        {
            await PostgresTable.ExecuteAsync(_connection!, PostgresTable.CreateSql(_schema, _table, columns, ifNotExists: true), cancellationToken);
            return;
        }
        foreach (var column in columns)
        {
            if (!existing.TryGetValue(column.Name, out var type))
                await PostgresTable.ExecuteAsync(_connection!, $"ALTER TABLE {Qualified(_schema, _table)} ADD COLUMN {Quote(column.Name)} {column.NativeType}", cancellationToken);
            else if (!PostgresTable.BinaryCompatible(type, column.NativeType))
                throw new InvalidOperationException($"column {column.Name} of {_schema}.{_table} is {type} but stream {stream.Descriptor} sends {column.NativeType}; alter the column or sync with overwrite");
        }
    }

    /// <summary>The two metadata fields are the same for every row of a sync: encoded once.</summary>
    private byte[] MetadataFields()
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 8);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), RecordBatchBuilder.ToUnixMicros(context.ExtractedAt.UtcDateTime) - PostgresReader.EpochShiftMicros);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 8);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16), context.SyncId);
        return bytes;
    }

    private async Task BeginCopyAsync(CancellationToken cancellationToken)
    {
        _copy = await _connection!.BeginRawBinaryCopyAsync(_copySql, cancellationToken);
        _buffer.WriteHeader();
    }

    private async Task EndCopyAsync(CancellationToken cancellationToken)
    {
        if (_copy is null)
            return;
        _buffer.WriteTrailer();
        await _buffer.FlushAsync(_copy, cancellationToken);
        await _buffer.DrainAsync();
        await _copy.DisposeAsync();
        _copy = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _buffer.DrainAsync(); // a write in flight must finish (or fail) before the COPY is cancelled
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException)
        {
            // The write failed with the sync; the cancellation and rollback below still apply.
        }
        try
        {
            if (_copy is not null)
                await _copy.CancelAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // Cancelling a COPY reports the cancellation as an error; the rollback below is what matters.
        }
        if (_transaction is not null)
        {
            try { await _transaction.RollbackAsync(); }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
        }
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
