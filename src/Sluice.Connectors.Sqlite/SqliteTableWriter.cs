using System.Globalization;
using Apache.Arrow;
using Microsoft.Data.Sqlite;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// Writes one stream into its table. Overwrite fills a staging table and swaps it in at the end in one transaction,
/// so readers see the old rows or the new ones, never a mix. Append inserts into the table itself.
/// </summary>
internal sealed class SqliteTableWriter(SqliteConnection connection, ConfiguredStream stream, WriteContext context)
{
    private readonly string _target = stream.TargetName;
    private readonly bool _overwrite = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
    private readonly List<string> _columns = [];
    private string? _table;

    public bool Overwrites => _overwrite;
    public bool Finished { get; private set; }
    private string Table => _table ?? throw new InvalidOperationException("stream not started");

    /// <summary>Creates the table (or staging table) with the stream's columns; runs inside the caller's transaction.</summary>
    public async Task StartAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (_table is not null)
            return;
        _table = _overwrite ? "_sluice_tmp_" + _target : _target;
        if (_overwrite)
            await ExecuteAsync(transaction, $"DROP TABLE IF EXISTS {SqliteTypes.Quote(_table)}", cancellationToken);
        var columns = stream.TargetColumns().ToList();
        var definitions = columns.Select(c => $"{SqliteTypes.Quote(c.Name)} {SqliteTypes.ToDeclared(c.Type)}")
            .Append($"{SqliteTypes.Quote(WriteContext.ExtractedAtColumn)} TIMESTAMPTZ")
            .Append($"{SqliteTypes.Quote(WriteContext.SyncIdColumn)} INTEGER");
        await ExecuteAsync(transaction, $"CREATE TABLE IF NOT EXISTS {SqliteTypes.Quote(_table)} ({string.Join(", ", definitions)})", cancellationToken);
        await LoadColumnsAsync(transaction, cancellationToken);
        // Append to an older table: add what the stream has gained since.
        await AddMissingAsync(transaction, columns.Select(c => (c.Name, c.Type)).Append((WriteContext.ExtractedAtColumn, LogicalType.TimestampTz)).Append((WriteContext.SyncIdColumn, LogicalType.Int64)), cancellationToken);
    }

    public async Task WriteAsync(SqliteTransaction transaction, RecordBatch batch, CancellationToken cancellationToken)
    {
        await StartAsync(transaction, cancellationToken);
        var fields = batch.Schema.FieldsList;
        await AddMissingAsync(transaction, fields.Select(f => (f.Name, ArrowTypes.LogicalTypeOf(f))), cancellationToken);

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        var names = fields.Select(f => f.Name).Append(WriteContext.ExtractedAtColumn).Append(WriteContext.SyncIdColumn).ToList();
        insert.CommandText = $"INSERT INTO {SqliteTypes.Quote(Table)} ({string.Join(", ", names.Select(SqliteTypes.Quote))}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        var parameters = names.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        parameters[^2].Value = context.ExtractedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        parameters[^1].Value = context.SyncId;
        insert.Prepare();
        for (var row = 0; row < batch.Length; row++)
        {
            for (var c = 0; c < fields.Count; c++)
                parameters[c].Value = ToSqlite(batch.Column(c), row) ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Swaps the staging table in (overwrite); runs inside the caller's transaction, committed with it.</summary>
    public async Task FinishAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await StartAsync(transaction, cancellationToken);
        if (_overwrite)
        {
            await ExecuteAsync(transaction, $"DROP TABLE IF EXISTS {SqliteTypes.Quote(_target)}", cancellationToken);
            await ExecuteAsync(transaction, $"ALTER TABLE {SqliteTypes.Quote(Table)} RENAME TO {SqliteTypes.Quote(_target)}", cancellationToken);
        }
        Finished = true;
    }

    /// <summary>Drops the staging table of an overwrite the source could not finish; the old table stays.</summary>
    public async Task AbandonAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (_overwrite && _table is not null)
            await ExecuteAsync(transaction, $"DROP TABLE IF EXISTS {SqliteTypes.Quote(_table)}", cancellationToken);
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

    private async Task LoadColumnsAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        _columns.Clear();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", Table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            _columns.Add(reader.GetString(0));
    }

    private async Task AddMissingAsync(SqliteTransaction transaction, IEnumerable<(string Name, LogicalType Type)> wanted, CancellationToken cancellationToken)
    {
        foreach (var (name, type) in wanted)
        {
            if (_columns.Contains(name, StringComparer.OrdinalIgnoreCase))
                continue;
            await ExecuteAsync(transaction, $"ALTER TABLE {SqliteTypes.Quote(Table)} ADD COLUMN {SqliteTypes.Quote(name)} {SqliteTypes.ToDeclared(type)}", cancellationToken);
            _columns.Add(name);
        }
    }

    private async Task ExecuteAsync(SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
