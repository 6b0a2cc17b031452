using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MySqlConnector;
using Sluice.Core.Config;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

/// <summary>A validated config and the MySqlConnector connection string it stands for.</summary>
internal sealed record MySqlConfig(string Host, int Port, string Database, string Username, string Password, string SslMode, string? CaCertificate, string LoadMethod)
{
    public const int DefaultCheckpointRows = 50_000;

    public int CheckpointRows { get; init; } = DefaultCheckpointRows;

    /// <summary>Source only: a checkpoint follows at least this often while a table is read (<see cref="Sluice.Core.Sources.CheckpointSeconds"/>).</summary>
    public double CheckpointSeconds { get; init; } = Sluice.Core.Sources.CheckpointSeconds.Default;

    public static MySqlConfig Parse(JsonObject config, ConnectorSpec spec, string connectorName)
    {
        ConfigValidator.Validate(spec, config, connectorName);
        var (sslMode, ca) = config["ssl_mode"] switch
        {
            JsonObject o => (o["mode"]!.GetValue<string>(), o["ca_certificate"]?.GetValue<string>()),
            JsonValue v => (v.GetValue<string>(), null),
            _ => ("preferred", (string?)null),
        };
        return new MySqlConfig(
            config["host"]!.GetValue<string>(),
            config["port"]?.GetValue<int>() ?? 3306,
            config["database"]!.GetValue<string>(),
            config["username"]!.GetValue<string>(),
            config["password"]?.GetValue<string>() ?? "",
            sslMode,
            string.IsNullOrWhiteSpace(ca) ? null : ca,
            config["load_method"]?.GetValue<string>() ?? "auto")
        {
            CheckpointRows = config["checkpoint_rows"]?.GetValue<int>() ?? DefaultCheckpointRows,
            CheckpointSeconds = Sluice.Core.Sources.CheckpointSeconds.From(config),
        };
    }

    public string Endpoint => $"{Host}:{Port}";

    public string ConnectionString(bool forWriting = false)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            Database = Database,
            UserID = Username,
            Password = Password,
            SslMode = SslMode switch
            {
                "disabled" => MySqlSslMode.None,
                "required" => MySqlSslMode.Required,
                "verify_ca" => MySqlSslMode.VerifyCA,
                "verify_identity" => MySqlSslMode.VerifyFull,
                _ => MySqlSslMode.Preferred,
            },
            ConnectionTimeout = 15,
            // Full-table reads and bulk loads run as long as they need; the engine cancels through the token.
            DefaultCommandTimeout = 0,
            // Zero dates ('0000-00-00') come back as MySqlDateTime instead of throwing; the reader maps them to NULL.
            AllowZeroDateTime = true,
            ConvertZeroDateTime = false,
            TreatTinyAsBoolean = true,
            // CHAR(36) and BINARY(16) stay text and bytes; guessing GUIDs would change values.
            GuidFormat = MySqlGuidFormat.None,
            AllowLoadLocalInfile = forWriting,
            CharacterSet = "utf8mb4",
            Pooling = true,
        };
        if (CaCertificate is not null)
            builder.SslCa = CaFile(CaCertificate);
        return builder.ConnectionString;
    }

    /// <summary>MySqlConnector reads a CA from a file only: keep one per distinct PEM in the temp dir.</summary>
    private static string CaFile(string pem)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pem)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"sluice-mysql-ca-{hash}.pem");
        if (!File.Exists(path))
            File.WriteAllText(path, pem);
        return path;
    }
}
