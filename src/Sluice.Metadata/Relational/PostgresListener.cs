using Npgsql;

namespace Sluice.Metadata.Relational;

/// <summary>
/// LISTEN on a connection of its own (outside the pool, whose reset would UNLISTEN). A silent network cut leaves a
/// connection that never errors, so an idle listener pings the server and reconnects when the ping fails.
/// </summary>
internal sealed class PostgresListener(string connectionString, string channel, Action<string> received, Action<Exception> failed)
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(1);

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false, KeepAlive = 5, Timeout = 5, CommandTimeout = 5, ApplicationName = "sluice-listen",
    }.ConnectionString;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failed(ex);
                // Whatever was sent while disconnected is lost: wake the listener once so it polls for it.
                received("");
                try
                {
                    await Task.Delay(Backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        connection.Notification += (_, e) => received(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "", StringComparison.Ordinal)}\"", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken);
        while (true)
        {
            if (await connection.WaitAsync(Idle, cancellationToken))
                continue;
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
        }
    }
}
