using System.Net.Sockets;
using Npgsql;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Postgres;

/// <summary>Opens connections and turns driver failures into one-line messages that say what to fix.</summary>
internal static class PostgresErrors
{
    public static async Task<NpgsqlConnection> OpenAsync(PostgresConfig config, CancellationToken cancellationToken, string applicationName = "sluice")
    {
        var connection = new NpgsqlConnection(config.ConnectionString(applicationName));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or System.Security.Authentication.AuthenticationException or IOException)
        {
            await connection.DisposeAsync();
            throw new ConnectorUnavailableException(Describe(config, e), e);
        }
    }

    public static string Describe(PostgresConfig config, Exception e)
    {
        var at = $"PostgreSQL at {config.Endpoint}";
        if (e is PostgresException pg)
            return pg.SqlState switch
            {
                "28P01" => $"PostgreSQL rejected user '{config.Username}': password authentication failed; check username and password",
                "28000" => $"PostgreSQL rejected user '{config.Username}': {pg.MessageText}; check username and the server's pg_hba.conf",
                "3D000" => $"database '{config.Database}' does not exist on {at}; check database",
                "42501" => $"user '{config.Username}' lacks a privilege on {at}: {pg.MessageText}",
                "53300" => $"{at} has too many connections: {pg.MessageText}; try again later",
                "57P03" => $"{at} is not accepting connections yet: {pg.MessageText}; try again later",
                _ => $"{at} failed: {pg.MessageText} (SQLSTATE {pg.SqlState})",
            };
        var socket = Find<SocketException>(e);
        if (socket is not null)
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"cannot connect to {at}: connection refused; check host and port",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"cannot connect to {at}: host '{config.Host}' not found; check host",
                SocketError.TimedOut => $"cannot connect to {at}: timed out; check host, port and firewalls",
                _ => $"cannot connect to {at}: {socket.Message}; check host and port",
            };
        if (Find<TimeoutException>(e) is not null)
            return $"cannot connect to {at}: timed out; check host, port and firewalls";
        if (Find<System.Security.Authentication.AuthenticationException>(e) is { } tls)
            return $"TLS with {at} failed: {tls.Message}; check ssl_mode";
        if (e.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase))
            return $"TLS with {at} failed: {e.Message}; check ssl_mode";
        return $"cannot connect to {at}: {e.Message}";
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T match)
                return match;
        return null;
    }
}
