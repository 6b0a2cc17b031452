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
    /// <summary>
    /// Migrate the store at start (standalone). When false the store must already be at this build's schema: the
    /// distributed processes refuse to start otherwise and leave migrating to <c>sluice migrate</c>.
    /// </summary>
    public bool Migrate { get; init; } = true;

    /// <summary>Password of the <c>admin</c> user created on first start; null generates one and prints it once.</summary>
    public string? AdminPassword { get; init; } = Environment.GetEnvironmentVariable("SLUICE_ADMIN_PASSWORD");
    /// <summary>Base64 of the 32-byte master key for connector secrets; null uses (and creates) <c>master.key</c> in <see cref="DataDir"/>.</summary>
    public string? MasterKey { get; init; } = Environment.GetEnvironmentVariable("SLUICE_MASTER_KEY");

    /// <summary>
    /// How long an API request may take before it is answered 504 (<c>SLUICE_REQUEST_TIMEOUT_SECONDS</c>, default 30 s);
    /// requests that reach a connector's system get <see cref="ConnectorRequestTimeout"/>; followed log streams never time out.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = Seconds("SLUICE_REQUEST_TIMEOUT_SECONDS") ?? Api.ApiLimits.DefaultTimeout;
    /// <summary>The deadline of check, discover and connection create/update (<c>SLUICE_CONNECTOR_TIMEOUT_SECONDS</c>, default 5 min).</summary>
    public TimeSpan ConnectorRequestTimeout { get; init; } = Seconds("SLUICE_CONNECTOR_TIMEOUT_SECONDS") ?? Api.ApiLimits.ConnectorTimeout;

    public string StoreLocation => Store ?? Environment.GetEnvironmentVariable("SLUICE_STORE") ?? Path.Combine(DataDir, "sluice.db");

    private static TimeSpan? Seconds(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new Sluice.Core.Connectors.ConfigException(variable, $"'{text}' is not a number of seconds", "set it to a positive number such as 30");
    }
}
