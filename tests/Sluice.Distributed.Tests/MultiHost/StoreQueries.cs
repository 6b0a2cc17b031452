using Npgsql;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>What the tests read back from the metadata store, straight from PostgreSQL (the test's own view, not the CLI's).</summary>
internal sealed class StoreQueries(string connectionString)
{
    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(sql, connection, args);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object[]>> RowsAsync(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(sql, connection, args);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The lease row: who is active and with which fencing token.</summary>
    public async Task<(string Holder, long Token)> LeaseAsync()
    {
        var row = (await RowsAsync("select holder, token from scheduler_lease where id = 1")).Single();
        return ((string)row[0], (long)row[1]);
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="every"/> until it holds; false on timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                    return true;
            }
            catch (NpgsqlException)
            {
                // The store is busy or restarting; ask again.
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
        }
        return false;
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, object? args)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        foreach (var p in args?.GetType().GetProperties() ?? [])
            command.Parameters.AddWithValue(p.Name, p.GetValue(args) ?? DBNull.Value);
        return command;
    }
}
