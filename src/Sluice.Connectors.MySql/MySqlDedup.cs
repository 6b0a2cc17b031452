using MySqlConnector;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Deduped modes in MySQL/MariaDB: rows load into a temporary buffer (numbered in load order), which each commit
/// merges into the table with INSERT ... SELECT ... ON DUPLICATE KEY UPDATE: the latest row per key within the buffer
/// (highest cursor, then last loaded), applied only where the stored row's cursor is not newer. Temporary tables
/// neither commit the open transaction nor outlive the connection.
/// </summary>
internal sealed class MySqlDedup(MySqlTarget target, DedupPlan plan)
{
    private const string Sequence = "_sluice_seq";
    private bool _buffered;

    public string QuotedBuffer => MySqlIdentifiers.Quote(MySqlIdentifiers.Helper("_sluice_dedup_", target.LoadTable));

    /// <summary>The target's key as a unique index (ON DUPLICATE KEY needs one); DDL, so run before rows load. Duplicates already there fail loudly.</summary>
    public async Task EnsureUniqueKeyAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            "select count(*) from information_schema.STATISTICS where TABLE_SCHEMA = @db and cast(TABLE_NAME as binary) = cast(@t as binary) and NON_UNIQUE = 0 " +
            "group by INDEX_NAME having count(*) = @n and sum(COLUMN_NAME in (" + string.Join(", ", plan.Keys.Select((_, i) => "@k" + i)) + ")) = @n", connection);
        command.Parameters.AddWithValue("@db", target.Database);
        command.Parameters.AddWithValue("@t", target.LoadTable);
        command.Parameters.AddWithValue("@n", plan.Keys.Count);
        for (var i = 0; i < plan.Keys.Count; i++)
            command.Parameters.AddWithValue("@k" + i, plan.Keys[i]);
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        await MySqlDdl.ExecuteAsync(connection, $"alter table {target.QuotedLoadTable} add unique key `_sluice_dedup_key` ({string.Join(", ", plan.Keys.Select(MySqlIdentifiers.Quote))})", cancellationToken);
    }

    /// <summary>Creates the buffer with the table's columns (not its keys) plus the load order; inside the open transaction.</summary>
    public async Task EnsureBufferAsync(MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (_buffered)
            return;
        await ExecuteAsync(connection, transaction,
            $"drop temporary table if exists {QuotedBuffer}; " +
            $"create temporary table {QuotedBuffer} ({Sequence} bigint not null auto_increment primary key) select * from {target.QuotedLoadTable} limit 0", cancellationToken);
        _buffered = true;
    }

    public async Task MergeAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        if (!_buffered)
            return;
        var list = string.Join(", ", columns.Select(MySqlIdentifiers.Quote));
        var keys = string.Join(", ", plan.Keys.Select(MySqlIdentifiers.Quote));
        // DESC already puts NULL cursors last in MySQL.
        var order = (plan.Cursor is null ? "" : $"{MySqlIdentifiers.Quote(plan.Cursor)} desc, ") + $"{Sequence} desc";
        var stored = (string column) => $"{target.QuotedLoadTable}.{MySqlIdentifiers.Quote(column)}";
        var newer = plan.Cursor is null ? "true" : $"{stored(plan.Cursor)} is null or {stored(plan.Cursor)} <= values({MySqlIdentifiers.Quote(plan.Cursor)})";
        // Assignments run left to right on the stored row, so the cursor, which the condition reads, is assigned last.
        var updates = columns.Where(c => !plan.Keys.Contains(c)).OrderBy(c => c == plan.Cursor)
            .Select(c => $"{stored(c)} = if({newer}, values({MySqlIdentifiers.Quote(c)}), {stored(c)})").ToList();
        var sql = $"insert into {target.QuotedLoadTable} ({list}) select {list} from " +
                  $"(select {list}, row_number() over (partition by {keys} order by {order}) as _sluice_rn from {QuotedBuffer}) latest where _sluice_rn = 1 " +
                  $"on duplicate key update {(updates.Count > 0 ? string.Join(", ", updates) : $"{stored(plan.Keys[0])} = {stored(plan.Keys[0])}")}; " +
                  $"delete from {QuotedBuffer}";
        await ExecuteAsync(connection, transaction, sql, cancellationToken);
    }

    public async Task DropBufferAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (!_buffered)
            return;
        await MySqlDdl.ExecuteAsync(connection, $"drop temporary table if exists {QuotedBuffer}", cancellationToken);
        _buffered = false;
    }

    /// <summary>The table's columns a merge copies: the loaded ones and the metadata columns.</summary>
    public static IReadOnlyList<string> MergedColumns(MySqlTarget target) =>
        [.. target.Columns!.Select(c => c.Name), WriteContext.ExtractedAtColumn, WriteContext.SyncIdColumn];

    private static async Task ExecuteAsync(MySqlConnection connection, MySqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
