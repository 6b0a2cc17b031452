using System.Data.Common;
using Dapper;

namespace Sluice.Metadata.Relational;

/// <summary>Connections, transactions and the clock shared by the aggregate stores of one metadata store.</summary>
internal sealed class Database(SqlDialect dialect, TimeProvider time)
{
    public SqlDialect Dialect => dialect;

    /// <summary>
    /// The current UTC time cut to whole microseconds, the finest both databases keep, so that what a store
    /// returns equals what it reads back later.
    /// </summary>
    public DateTimeOffset Now()
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenReadAsync(cancellationToken);
        T result;
        try
        {
            result = await read(connection);
        }
        catch
        {
            // A read that failed half way may have left a reader or statement behind: never reuse that connection.
            await connection.DisposeAsync();
            throw;
        }
        await dialect.ReturnReadAsync(connection);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with <paramref name="parameters"/> on <paramref name="connection"/> (from
    /// <see cref="ReadAsync{T}"/>) and reads every row with <paramref name="map"/>; for hot queries, where Dapper's dynamic
    /// rows and re-preparing the statement each time cost more than the query itself.
    /// </summary>
    public async Task<List<T>> ReadRowsAsync<T>(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters,
        Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var command = dialect.ReadCommand(connection, sql);
        try
        {
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                // As Dapper binds it: SQLite then compares the id as the text it is stored as, PostgreSQL as a uuid.
                if (value is Guid)
                    parameter.DbType = System.Data.DbType.Guid;
                command.Parameters.Add(parameter);
            }
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(map(reader));
            return rows;
        }
        finally
        {
            if (!dialect.OwnsCommands)
                await command.DisposeAsync();
        }
    }

    /// <summary>
    /// <see cref="ReadRowsAsync{T}"/>, or the rows the same query with the same parameters last read on this connection
    /// when the database says nothing was committed since (by any process, nor written on this connection). Never an
    /// older state than a fresh read: the change stamp is taken before the query runs.
    /// </summary>
    public async Task<IReadOnlyList<T>> ReadRowsReusedAsync<T>(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters,
        Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        if (await dialect.ReadReuseAsync(connection, cancellationToken) is not { } found)
            return await ReadRowsAsync(connection, sql, parameters, map, cancellationToken);
        var (reuse, stamp) = found;
        var key = ReuseKey(sql, parameters);
        if (reuse.TryGet<T>(stamp, key, out var kept))
            return kept;
        var rows = (await ReadRowsAsync(connection, sql, parameters, map, cancellationToken)).AsReadOnly();
        reuse.Keep<T>(stamp, key, rows);
        return rows;
    }

    // Each value length-prefixed, so no text value can make two different parameter sets look alike.
    private static string ReuseKey(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        var key = new System.Text.StringBuilder(sql);
        foreach (var (name, value) in parameters)
        {
            var text = value switch
            {
                null => "\0",
                IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            key.Append('\n').Append(name).Append('=').Append(value?.GetType().Name).Append(':').Append(text.Length).Append(':').Append(text);
        }
        return key.ToString();
    }

    /// <summary>Runs <paramref name="write"/> in one transaction, committed when it returns, behind the dialect's write gate.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        using var gate = await dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="write"/> without a transaction of its own, behind the write gate: for one statement that is
    /// atomic by itself (the server commits it), saving the COMMIT round trip on the task queue's hot paths (a worker's
    /// claim and reports), on the dialect's queue connections.
    /// </summary>
    public async Task<T> WriteOneAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        using var gate = await dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await dialect.OpenQueueAsync(cancellationToken);
        return await write(connection);
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await write(connection, transaction);
            return true;
        }, cancellationToken);

    public static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    public static async Task<IReadOnlyList<Row>> QueryAsync(DbConnection connection, CommandDefinition command)
    {
        var rows = await connection.QueryAsync(command);
        return rows.Select(r => new Row((IDictionary<string, object?>)r)).ToList();
    }

    public static async Task<Row?> QuerySingleAsync(DbConnection connection, CommandDefinition command)
    {
        var rows = await QueryAsync(connection, command);
        return rows.Count == 0 ? null : rows[0];
    }
}
