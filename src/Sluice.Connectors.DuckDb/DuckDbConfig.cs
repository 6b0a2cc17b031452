using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sluice.Core.Batches;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.DuckDb;

/// <summary>The duckdb connector's settings, read from a config already validated against the spec.</summary>
internal sealed record DuckDbConfig(string Path, int BatchSize)
{
    public const int DefaultCheckpointRows = 50_000;

    /// <summary>Source only: rows per key range; a checkpoint follows each range.</summary>
    public int CheckpointRows { get; init; } = DefaultCheckpointRows;

    /// <summary>Source only: a checkpoint follows at least this often while a table is read (<see cref="Sluice.Core.Sources.CheckpointSeconds"/>).</summary>
    public double CheckpointSeconds { get; init; } = Sluice.Core.Sources.CheckpointSeconds.Default;

    public const string DefaultSchema = "main";

    public static JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("path"),
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["path"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["description"] = "Path of the DuckDB database file; a destination creates it when missing",
            },
            ["batch_size"] = new JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 1,
                ["maximum"] = 1_000_000,
                ["default"] = RecordBatchBuilder.DefaultMaxRows,
                ["description"] = "Rows per record batch when reading",
            },
            ["checkpoint_rows"] = new JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 1,
                ["default"] = DefaultCheckpointRows,
                ["description"] = "Source only: rows read per primary-key (or cursor and key) range; a checkpoint follows each range, so a failed sync resumes after the last committed one",
            },
            [Sluice.Core.Sources.CheckpointSeconds.Field] = Sluice.Core.Sources.CheckpointSeconds.Schema(),
        },
    };

    public static DuckDbConfig From(JsonObject config) => new(
        System.IO.Path.GetFullPath(config["path"]!.GetValue<string>()),
        config["batch_size"] is { } size ? int.Parse(size.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : RecordBatchBuilder.DefaultMaxRows)
    {
        CheckpointRows = config["checkpoint_rows"] is { } rows ? int.Parse(rows.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : DefaultCheckpointRows,
        CheckpointSeconds = Sluice.Core.Sources.CheckpointSeconds.From(config),
    };

    public bool Exists => File.Exists(Path);

    /// <summary>Opens an existing database; a missing file is a config error rather than a new empty database.</summary>
    public Task<DuckDBConnection> OpenExistingAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
            throw new ConfigException("path", $"database file '{Path}' does not exist", "check the path, or write to it first with the duckdb destination");
        return OpenAsync(cancellationToken);
    }

    /// <summary>Opens (creating when missing) the database. DuckDB.NET shares one database instance per file within a process.</summary>
    public async Task<DuckDBConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null && !Directory.Exists(directory))
            throw new ConfigException("path", $"directory '{directory}' does not exist", "create it first, or choose another path");
        var connection = new DuckDBConnection($"Data Source={Path}");
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (DuckDBException e)
        {
            await connection.DisposeAsync();
            throw new ConnectorUnavailableException($"cannot open DuckDB database '{Path}': {e.Message}", e);
        }
    }
}
