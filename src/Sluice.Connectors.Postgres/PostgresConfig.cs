using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Config;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Postgres;

/// <summary>A validated connector config: where to connect and which schemas to read or write.</summary>
internal sealed record PostgresConfig(string Host, int Port, string Database, string Username, string? Password,
    SslMode SslMode, IReadOnlyList<string> Schemas, string Schema)
{
    public static PostgresConfig Parse(JsonObject config)
    {
        ConfigValidator.Validate(PostgresConnector.SpecInstance, config, PostgresConnector.ConnectorName);
        var ssl = config["ssl_mode"] switch
        {
            JsonObject o => o["mode"]?.GetValue<string>(),
            JsonValue v => v.GetValue<string>(),
            _ => null,
        } ?? "prefer";
        return new PostgresConfig(
            config["host"]!.GetValue<string>(),
            config["port"]?.GetValue<int>() ?? 5432,
            config["database"]!.GetValue<string>(),
            config["username"]!.GetValue<string>(),
            config["password"]?.GetValue<string>(),
            ParseSslMode(ssl),
            config["schemas"] is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToList() : ["public"],
            config["schema"]?.GetValue<string>() ?? "public")
        {
            CheckpointRows = config["checkpoint_rows"]?.GetValue<int>() ?? 50_000,
            CheckpointSeconds = Core.Sources.CheckpointSeconds.From(config),
        };
    }

    /// <summary>Source: rows per key range, each followed by a checkpoint (a failed sync resumes after the last committed one).</summary>
    public int CheckpointRows { get; init; } = 50_000;

    /// <summary>Source: a checkpoint follows at least this often while a table is read (<see cref="Core.Sources.CheckpointSeconds"/>).</summary>
    public double CheckpointSeconds { get; init; } = Core.Sources.CheckpointSeconds.Default;

    private static SslMode ParseSslMode(string mode) => mode switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new ConfigException("ssl_mode", $"unknown mode '{mode}'", "use one of: " + string.Join(", ", PostgresSpec.SslModes)),
    };

    public string Endpoint => $"{Host}:{Port}";

    /// <summary>
    /// Pooling is off: a sync holds few long connections, and a pooled connection left mid-COPY after a failure would
    /// poison the next user. The large read buffer keeps COPY streaming in big chunks.
    /// </summary>
    public string ConnectionString(string applicationName = "sluice") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = Username,
        Password = Password,
        SslMode = SslMode,
        ApplicationName = applicationName,
        Pooling = false,
        Timeout = 15,
        CommandTimeout = 0,
        ReadBufferSize = 1 << 20,
        WriteBufferSize = 1 << 20,
        IncludeErrorDetail = true,
    }.ConnectionString;
}
