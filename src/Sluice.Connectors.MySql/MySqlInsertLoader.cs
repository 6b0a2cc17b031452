using System.Globalization;
using System.Text;
using Apache.Arrow;
using MySqlConnector;

namespace Sluice.Connectors.MySql;

/// <summary>
/// Multi-row INSERT statements of up to ~4 MB each, for servers without local_infile. Values are inlined as
/// literals (strict sql_mode and backslash escapes are set by the writer's session), which is what MySqlConnector's
/// client-side parameters would produce anyway, minus the parameter bookkeeping.
/// </summary>
internal sealed class MySqlInsertLoader : IMySqlLoader
{
    private const int StatementBytes = 4 * 1024 * 1024;

    public async Task LoadAsync(MySqlConnection connection, MySqlTransaction? transaction, string quotedTable, RecordBatch batch,
        IReadOnlyList<int> columns, IReadOnlyList<(string Name, object Value)> constants, CancellationToken cancellationToken)
    {
        var getters = columns.Select(i => MySqlValues.For(batch.Column(i))).ToArray();
        var names = columns.Select(i => batch.Schema.GetFieldByIndex(i).Name).Concat(constants.Select(c => c.Name));
        var head = $"insert into {quotedTable} ({string.Join(", ", names.Select(MySqlIdentifiers.Quote))}) values ";
        var tail = new StringBuilder();
        foreach (var (_, value) in constants)
        {
            tail.Append(", ");
            AppendLiteral(tail, value);
        }
        var sql = new StringBuilder(head);
        var rows = 0;
        for (var row = 0; row < batch.Length; row++)
        {
            sql.Append(rows == 0 ? "(" : ",(");
            for (var c = 0; c < getters.Length; c++)
            {
                if (c > 0)
                    sql.Append(", ");
                AppendLiteral(sql, getters[c](row));
            }
            sql.Append(tail).Append(')');
            rows++;
            if (sql.Length >= StatementBytes)
            {
                await ExecuteAsync(connection, transaction, sql.ToString(), cancellationToken);
                sql.Clear().Append(head);
                rows = 0;
            }
        }
        if (rows > 0)
            await ExecuteAsync(connection, transaction, sql.ToString(), cancellationToken);
    }

    private static async Task ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static void AppendLiteral(StringBuilder sql, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                sql.Append("NULL");
                break;
            case bool b:
                sql.Append(b ? '1' : '0');
                break;
            case byte[] bytes:
                sql.Append("X'").Append(Convert.ToHexString(bytes)).Append('\'');
                break;
            case double d:
                sql.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                sql.Append(f.ToString("R", CultureInfo.InvariantCulture));
                break;
            case IFormattable n when value is not string:
                sql.Append(n.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                AppendString(sql, value.ToString() ?? "");
                break;
        }
    }

    private static void AppendString(StringBuilder sql, string text)
    {
        sql.Append('\'');
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\': sql.Append(@"\\"); break;
                case '\'': sql.Append(@"\'"); break;
                case '\0': sql.Append(@"\0"); break;
                case '\n': sql.Append(@"\n"); break;
                case '\r': sql.Append(@"\r"); break;
                case '\x1a': sql.Append(@"\Z"); break;
                default: sql.Append(ch); break;
            }
        }
        sql.Append('\'');
    }
}
