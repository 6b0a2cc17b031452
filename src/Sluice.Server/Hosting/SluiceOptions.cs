namespace Sluice.Server.Hosting;

/// <summary>Where Sluice keeps its state and how it listens. Bound from the command line and SLUICE_* variables.</summary>
public sealed record SluiceOptions
{
    /// <summary>Directory for the SQLite metadata, demo files and logs (default ./.sluice).</summary>
    public string DataDir { get; init; } = Path.GetFullPath(".sluice");
    /// <summary>Metadata store: null uses SQLite in <see cref="DataDir"/>; else a path or postgres:// URL.</summary>
    public string? Store { get; init; }
    public int Port { get; init; } = 8000;
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Create the sample-data demo connection on first start.</summary>
    public bool CreateDemo { get; init; } = true;
    /// <summary>Run queued sync jobs inside this process (standalone and worker roles).</summary>
    public bool RunJobs { get; init; } = true;

    public string StoreLocation => Store ?? Environment.GetEnvironmentVariable("SLUICE_STORE") ?? Path.Combine(DataDir, "sluice.db");
}
