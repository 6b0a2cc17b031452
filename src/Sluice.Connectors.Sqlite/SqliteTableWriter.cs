using System.Globalization;
using Apache.Arrow;
using Microsoft.Data.Sqlite;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// Writes one stream into its table inside the writer's transaction. Overwrite fills a staging table and swaps it
/// in at the end, so readers see the old rows or the new ones, never a mix. Append inserts into the table itself.
/// Deduped modes insert into a temporary buffer that is merged into the table (or staging) before each commit.
/// </summary>
internal sealed class SqliteTableWriter(SqliteConnection connection, Func<SqliteTransaction> transaction, ConfiguredStream stream, WriteContext context)
    : IStreamLoad
{
    private readonly string _target = stream.TargetName;
    private readonly bool _overwrite = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
    private readonly DedupPlan? _dedup = DedupPlan.For(stream);
    private readonly List<string> _columns = [];
    private string? _table;
    private bool _buffered;

    public ConfiguredStream Stream => stream;
    public bool Overwrites => _overwrite;
    public bool Finished { get; private set; }
    private string Table => _table ?? throw new InvalidOperationException("stream not started");
    private string Buffer => "temp." + SqliteTypes.Quote("_sluice_dedup_" + _target);
    /// <summary>Where inserted rows go: the dedup buffer, or the load table itself.</summary>
    private string InsertTarget => _dedup is null ? SqliteTypes.Quote(Table) : Buffer;

    /// <summary>Creates the table (or staging table) with the stream's columns and, when deduped, its unique key.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
            return;
        _table = _overwrite ? "_sluice_tmp_" + _target : _target;
        if (_overwrite)
            await ExecuteAsync($"DROP TABLE IF EXISTS {SqliteTypes.Quote(_table)}", cancellationToken);
        // A source table loaded by Sluice carries the metadata columns already: they are replaced, not doubled.
        var columns = stream.TargetColumns().Where(c => !WriteContext.IsMetadataColumn(c.Name)).ToList();
        var definitions = columns.Select(c => $"{SqliteTypes.Quote(c.Name)} {SqliteTypes.ToDeclared(c.Type)}")
            .Append($"{SqliteTypes.Quote(WriteContext.ExtractedAtColumn)} TIMESTAMPTZ")
            .Append($"{SqliteTypes.Quote(WriteContext.SyncIdColumn)} INTEGER");
        if (_dedup is not null)
            definitions = definitions.Append($"UNIQUE ({KeyList})");
        await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {SqliteTypes.Quote(_table)} ({string.Join(", ", definitions)})", cancellationToken);
        await LoadColumnsAsync(cancellationToken);
        // Append to an older table: add what the stream has gained since.
        await AddMissingAsync(columns.Select(c => (c.Name, c.Type)).Append((WriteContext.ExtractedAtColumn, LogicalType.TimestampTz)).Append((WriteContext.SyncIdColumn, LogicalType.Int64)), cancellationToken);
        // An append table made by an earlier non-deduped sync gets the key ON CONFLICT needs; duplicates already there fail loudly.
        if (_dedup is not null && !_overwrite)
            await ExecuteAsync($"CREATE UNIQUE INDEX IF NOT EXISTS {SqliteTypes.Quote(_target + "_sluice_key")} ON {SqliteTypes.Quote(_target)} ({KeyList})", cancellationToken);
    }

    private string KeyList => string.Join(", ", _dedup!.Keys.Select(SqliteTypes.Quote));

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var fields = Enumerable.Range(0, batch.ColumnCount).Where(i => !WriteContext.IsMetadataColumn(batch.Schema.GetFieldByIndex(i).Name)).ToList();
        await AddMissingAsync(fields.Select(i => (batch.Schema.GetFieldByIndex(i).Name, ArrowTypes.LogicalTypeOf(batch.Schema.GetFieldByIndex(i)))), cancellationToken);
        if (_dedup is not null && !_buffered)
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {Buffer}; CREATE TEMP TABLE {SqliteTypes.Quote("_sluice_dedup_" + _target)} AS SELECT * FROM main.{SqliteTypes.Quote(Table)} WHERE 0", cancellationToken);
            _buffered = true;
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction();
        var names = fields.Select(i => batch.Schema.GetFieldByIndex(i).Name).Append(WriteContext.ExtractedAtColumn).Append(WriteContext.SyncIdColumn).ToList();
        insert.CommandText = $"INSERT INTO {InsertTarget} ({string.Join(", ", names.Select(SqliteTypes.Quote))}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        var parameters = names.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        parameters[^2].Value = context.ExtractedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        parameters[^1].Value = context.SyncId;
        insert.Prepare();
        for (var row = 0; row < batch.Length; row++)
        {
            for (var c = 0; c < fields.Count; c++)
                parameters[c].Value = ToSqlite(batch.Column(fields[c]), row) ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task MergeAsync(CancellationToken cancellationToken)
    {
        if (_dedup is null || !_buffered)
            return;
        var merge = _dedup.UpsertSql(SqliteTypes.Quote, "main." + SqliteTypes.Quote(Table), SqliteTypes.Quote(Table), Buffer, _columns, "rowid");
        await ExecuteAsync($"{merge}; DELETE FROM {Buffer}", cancellationToken);
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await MergeAsync(cancellationToken);
        if (_buffered)
            await ExecuteAsync($"DROP TABLE IF EXISTS {Buffer}", cancellationToken);
        if (_overwrite)
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {SqliteTypes.Quote(_target)}", cancellationToken);
            await ExecuteAsync($"ALTER TABLE {SqliteTypes.Quote(Table)} RENAME TO {SqliteTypes.Quote(_target)}", cancellationToken);
        }
        Finished = true;
    }

    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        if (_overwrite && _table is not null)
            await ExecuteAsync($"DROP TABLE IF EXISTS {SqliteTypes.Quote(_table)}", cancellationToken);
        Finished = true;
    }

    /// <summary>The value as SQLite stores it: integers, doubles, bytes, and ISO text for dates, times and exact decimals.</summary>
    private static object? ToSqlite(IArrowArray array, int row)
    {
        var value = ArrowValues.Get(array, row);
        return value switch
        {
        null => null,
        bool b => b ? 1L : 0L,
        sbyte or short or int or long or byte or ushort or uint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : u.ToString(CultureInfo.InvariantCulture),
        float f => (double)f,
        double d => d,
        byte[] bytes => bytes,
        string s => s,
        _ => ArrowValues.ToText(array, row),
        };
    }

    private async Task LoadColumnsAsync(CancellationToken cancellationToken)
    {
        _columns.Clear();
        using var command = connection.CreateCommand();
        command.Transaction = transaction();
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", Table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            _columns.Add(reader.GetString(0));
    }

    private async Task AddMissingAsync(IEnumerable<(string Name, LogicalType Type)> wanted, CancellationToken cancellationToken)
    {
        foreach (var (name, type) in wanted)
        {
            if (_columns.Contains(name, StringComparer.OrdinalIgnoreCase))
                continue;
            await ExecuteAsync($"ALTER TABLE {SqliteTypes.Quote(Table)} ADD COLUMN {SqliteTypes.Quote(name)} {SqliteTypes.ToDeclared(type)}", cancellationToken);
            if (_buffered)
                await ExecuteAsync($"ALTER TABLE {Buffer} ADD COLUMN {SqliteTypes.Quote(name)} {SqliteTypes.ToDeclared(type)}", cancellationToken);
            _columns.Add(name);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
