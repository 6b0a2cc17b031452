using Apache.Arrow;
using DuckDB.NET.Data;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;
using Sluice.Core.Types;

namespace Sluice.Connectors.DuckDb;

/// <summary>
/// Writes one stream into its table through DuckDB's appender. Overwrite fills a staging table and swaps it in at
/// the end in one transaction; append adds to the table itself (adding columns the stream has gained). Deduped
/// modes append into a buffer table that is merged into the table (or staging) before each commit.
/// </summary>
internal sealed class DuckDbTableWriter(DuckDBConnection connection, ConfiguredStream stream, WriteContext context) : IStreamLoad
{
    private readonly string _schema = stream.DestinationNamespace ?? DuckDbConfig.DefaultSchema;
    private readonly string _target = stream.TargetName;
    private readonly bool _overwrite = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
    /// <summary>The table's columns in table order, with the type the appender must write for each.</summary>
    private readonly List<(string Name, LogicalType Type)> _columns = [];
    private readonly DedupPlan? _dedup = DedupPlan.For(stream);
    private string? _table;
    private bool _buffered;

    public ConfiguredStream Stream => stream;
    public bool Overwrites => _overwrite;
    public bool Finished { get; private set; }
    private string Table => _table ?? throw new InvalidOperationException("stream not started");
    private string BufferName => "_sluice_tmp_dedup_" + _target;
    /// <summary>Where appended rows go: the dedup buffer, or the load table itself.</summary>
    private string InsertTable => _dedup is null ? Table : BufferName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
            return;
        _table = _overwrite ? "_sluice_tmp_" + _target : _target;
        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {DuckDbTypes.Quote(_schema)}", cancellationToken);
        if (_overwrite)
            await ExecuteAsync($"DROP TABLE IF EXISTS {DuckDbTypes.Qualified(_schema, _table)}", cancellationToken);
        // A source table loaded by Sluice carries the metadata columns already: they are replaced, not doubled.
        var columns = stream.TargetColumns().Where(c => !WriteContext.IsMetadataColumn(c.Name)).Select(c => (c.Name, c.Type))
            .Append((Name: WriteContext.ExtractedAtColumn, Type: LogicalType.TimestampTz)).Append((Name: WriteContext.SyncIdColumn, Type: LogicalType.Int64)).ToList();
        var definitions = columns.Select(c => $"{DuckDbTypes.Quote(c.Name)} {DuckDbTypes.ToNative(c.Type)}");
        if (_dedup is not null)
            definitions = definitions.Append($"UNIQUE ({KeyList})");
        await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {DuckDbTypes.Qualified(_schema, _table)} ({string.Join(", ", definitions)})", cancellationToken);
        await LoadColumnsAsync(cancellationToken);
        await AddMissingAsync(columns, cancellationToken);
        // An append table made by an earlier non-deduped sync gets the key ON CONFLICT needs; duplicates already there fail loudly.
        if (_dedup is not null && !_overwrite)
            await ExecuteAsync($"CREATE UNIQUE INDEX IF NOT EXISTS {DuckDbTypes.Quote(_target + "_sluice_key")} ON {DuckDbTypes.Qualified(_schema, _target)} ({KeyList})", cancellationToken);
    }

    private string KeyList => string.Join(", ", _dedup!.Keys.Select(DuckDbTypes.Quote));

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var fields = batch.Schema.FieldsList;
        await AddMissingAsync(fields.Select(f => (f.Name, ArrowTypes.LogicalTypeOf(f))), cancellationToken);
        if (_dedup is not null && !_buffered)
        {
            // Same columns in the same order as the load table, without its key: the appender fills it as it would the table.
            await ExecuteAsync($"CREATE OR REPLACE TABLE {DuckDbTypes.Qualified(_schema, BufferName)} AS SELECT * FROM {DuckDbTypes.Qualified(_schema, Table)} LIMIT 0", cancellationToken);
            _buffered = true;
        }
        // Position of each table column in the batch; -1 for table columns the batch lacks (NULL).
        var source = _columns.Select(c => fields.ToList().FindIndex(f => f.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase))).ToArray();
        var values = new object?[_columns.Count];
        var slow = new List<object?[]>();
        using (var appender = connection.CreateAppender(_schema, InsertTable))
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var needsSql = false;
                for (var c = 0; c < _columns.Count; c++)
                {
                    if (_columns[c].Name == WriteContext.ExtractedAtColumn)
                        values[c] = context.ExtractedAt;
                    else if (_columns[c].Name == WriteContext.SyncIdColumn)
                        values[c] = context.SyncId;
                    else if (source[c] < 0)
                        values[c] = null;
                    else
                    {
                        values[c] = DuckDbValues.Prepare(batch.Column(source[c]), row, _columns[c].Type, out var sql);
                        needsSql |= sql;
                    }
                }
                if (needsSql)
                {
                    slow.Add((object?[])values.Clone());
                    continue;
                }
                var appenderRow = appender.CreateRow();
                foreach (var value in values)
                    DuckDbValues.Append(appenderRow, value);
                appenderRow.EndRow();
            }
        }
        foreach (var row in slow)
            await InsertAsTextAsync(row, cancellationToken);
    }

    public async Task MergeAsync(CancellationToken cancellationToken)
    {
        if (_dedup is null || !_buffered)
            return;
        var buffer = DuckDbTypes.Qualified(_schema, BufferName);
        var merge = _dedup.UpsertSql(DuckDbTypes.Quote, DuckDbTypes.Qualified(_schema, Table), DuckDbTypes.Quote(Table), buffer, _columns.Select(c => c.Name).ToList(), "rowid");
        await ExecuteAsync(merge, cancellationToken);
        await ExecuteAsync($"DELETE FROM {buffer}", cancellationToken);
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await MergeAsync(cancellationToken);
        if (_buffered)
            await ExecuteAsync($"DROP TABLE IF EXISTS {DuckDbTypes.Qualified(_schema, BufferName)}", cancellationToken);
        if (_overwrite)
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {DuckDbTypes.Qualified(_schema, _target)}", cancellationToken);
            await ExecuteAsync($"ALTER TABLE {DuckDbTypes.Qualified(_schema, Table)} RENAME TO {DuckDbTypes.Quote(_target)}", cancellationToken);
        }
        Finished = true;
    }

    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        if (_buffered)
            await ExecuteAsync($"DROP TABLE IF EXISTS {DuckDbTypes.Qualified(_schema, BufferName)}", cancellationToken);
        if (_overwrite && _table is not null)
            await ExecuteAsync($"DROP TABLE IF EXISTS {DuckDbTypes.Qualified(_schema, _table)}", cancellationToken);
        Finished = true;
    }

    /// <summary>The rare row the appender cannot carry exactly: DuckDB casts each value's text to the column type.</summary>
    private async Task InsertAsTextAsync(object?[] row, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        var casts = _columns.Select(c => c.Type.Kind == LogicalKind.Binary ? "from_base64(?)" : $"CAST(? AS {DuckDbTypes.ToNative(c.Type)})");
        command.CommandText = $"INSERT INTO {DuckDbTypes.Qualified(_schema, InsertTable)} ({string.Join(", ", _columns.Select(c => DuckDbTypes.Quote(c.Name)))}) VALUES ({string.Join(", ", casts)})";
        foreach (var value in row)
            command.Parameters.Add(new DuckDBParameter((object)(value switch
            {
                null => DBNull.Value,
                byte[] bytes => Convert.ToBase64String(bytes),
                DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                TimeOnly t => t.ToString("HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", System.Globalization.CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            })));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task LoadColumnsAsync(CancellationToken cancellationToken)
    {
        _columns.Clear();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_catalog = current_database() AND table_schema = $schema AND table_name = $table ORDER BY ordinal_position
            """;
        command.Parameters.Add(new DuckDBParameter("schema", _schema));
        command.Parameters.Add(new DuckDBParameter("table", Table));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            _columns.Add((reader.GetString(0), DuckDbTypes.FromNative(reader.GetString(1))));
    }

    private async Task AddMissingAsync(IEnumerable<(string Name, LogicalType Type)> wanted, CancellationToken cancellationToken)
    {
        foreach (var (name, type) in wanted)
        {
            if (_columns.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                continue;
            await ExecuteAsync($"ALTER TABLE {DuckDbTypes.Qualified(_schema, Table)} ADD COLUMN {DuckDbTypes.Quote(name)} {DuckDbTypes.ToNative(type)}", cancellationToken);
            if (_buffered)
                await ExecuteAsync($"ALTER TABLE {DuckDbTypes.Qualified(_schema, BufferName)} ADD COLUMN {DuckDbTypes.Quote(name)} {DuckDbTypes.ToNative(type)}", cancellationToken);
            _columns.Add((name, DuckDbTypes.FromNative(DuckDbTypes.ToNative(type))));
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
