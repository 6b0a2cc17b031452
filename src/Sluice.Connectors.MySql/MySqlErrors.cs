using System.Net.Sockets;
using MySqlConnector;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>Turns driver failures on connect into one-line messages a user can act on, without stack traces.</summary>
internal static class MySqlErrors
{
    public static string Describe(Exception e, MySqlConfig config) => e switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.AccessDenied } =>
            $"MySQL at {config.Endpoint} refused user '{config.Username}': wrong username or password, or the user may not connect from this host",
        MySqlException { ErrorCode: MySqlErrorCode.UnknownDatabase } =>
            $"database '{config.Database}' does not exist on {config.Endpoint}; create it or fix 'database'",
        MySqlException { ErrorCode: MySqlErrorCode.DatabaseAccessDenied } =>
            $"user '{config.Username}' has no access to database '{config.Database}' on {config.Endpoint}; grant it or fix 'database'",
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } me =>
            $"cannot reach MySQL at {config.Endpoint}: {Innermost(me)}; check host, port and firewall",
        MySqlException me when me.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase) || me.Message.Contains("TLS", StringComparison.OrdinalIgnoreCase) =>
            $"TLS to {config.Endpoint} failed with ssl_mode '{config.SslMode}': {me.Message}",
        MySqlException me => $"MySQL at {config.Endpoint} failed: {me.Message}",
        SocketException se => $"cannot reach MySQL at {config.Endpoint}: {se.Message}; check host, port and firewall",
        TimeoutException => $"connecting to MySQL at {config.Endpoint} timed out; check host, port and firewall",
        _ => $"MySQL at {config.Endpoint}: {e.Message}",
    };

    /// <summary>Opens a connection, reporting connect failures as <see cref="ConnectorUnavailableException"/>.</summary>
    public static async Task<MySqlConnection> OpenAsync(MySqlConfig config, bool forWriting, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(config.ConnectionString(forWriting));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is MySqlException or SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            await connection.DisposeAsync();
            throw new ConnectorUnavailableException(Describe(e, config), e);
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message;
    }
}
