using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Metadata;
using Sluice.Server.Hosting;

namespace Sluice.Server.Demo;

/// <summary>
/// On first start, a demo: the built-in sample source connected to a local file database under the data dir, so
/// the first sync works with no database installed. Created once; deleting it is respected.
/// </summary>
public static class DemoPipeline
{
    public const string SourceName = "sample-shop";
    public const string DestinationName = "local-warehouse";
    public const string ConnectionName = "demo";
    private const string MarkerFile = "demo-created";

    public static async Task EnsureAsync(IServiceProvider services, ILogger logger)
    {
        var options = services.GetRequiredService<SluiceOptions>();
        var marker = Path.Combine(options.DataDir, MarkerFile);
        if (File.Exists(marker))
            return;
        var store = services.GetRequiredService<IMetadataStore>();
        var registry = services.GetRequiredService<ConnectorRegistry>();
        var time = services.GetRequiredService<TimeProvider>();
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync();
        if (await store.Connections.FindByNameAsync(workspace.Id, ConnectionName) is not null)
            return;
        var (destinationConnector, destinationConfig) = LocalDestination(registry, options.DataDir);
        var now = time.GetUtcNow();
        var sourceConfig = new JsonObject { ["customers"] = 1000, ["products"] = 100, ["orders"] = 10_000, ["seed"] = 42 };
        var source = await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, SourceName)
            ?? await store.Actors.CreateAsync(new Actor { Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Kind = ActorKind.Source, Name = SourceName, Connector = "sample", Config = sourceConfig, CreatedAt = now, UpdatedAt = now });
        var destination = await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Destination, DestinationName)
            ?? await store.Actors.CreateAsync(new Actor { Id = Guid.NewGuid(), WorkspaceId = workspace.Id, Kind = ActorKind.Destination, Name = DestinationName, Connector = destinationConnector, Config = destinationConfig, CreatedAt = now, UpdatedAt = now });
        var catalog = await registry.Source("sample").DiscoverAsync(sourceConfig, CancellationToken.None);
        catalog = new SourceCatalog(catalog.Streams.Select(s => s with { EstimatedRows = null }).ToList());
        await store.Connections.CreateAsync(new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspace.Id,
            Name = ConnectionName,
            SourceId = source.Id,
            DestinationId = destination.Id,
            Catalog = ConfiguredCatalog.AllStreams(catalog),
            CreatedAt = now,
            UpdatedAt = now,
        });
        await File.WriteAllTextAsync(marker, now.ToString("O"));
        logger.LogInformation("created demo connection '{Connection}': {Source} -> {Destination} ({Connector} at {Path})",
            ConnectionName, SourceName, DestinationName, destinationConnector, destinationConfig["path"]?.ToString() ?? destinationConfig["root"]?.ToString());
    }

    /// <summary>DuckDB when it is built in, else SQLite, else JSONL files: all local, no server needed.</summary>
    private static (string Connector, JsonObject Config) LocalDestination(ConnectorRegistry registry, string dataDir)
    {
        if (registry.Contains("duckdb"))
            return ("duckdb", new JsonObject { ["path"] = Path.Combine(dataDir, "demo.duckdb") });
        if (registry.Contains("sqlite"))
            return ("sqlite", new JsonObject { ["path"] = Path.Combine(dataDir, "demo.sqlite") });
        return ("file", new JsonObject { ["root"] = Path.Combine(dataDir, "demo-files"), ["path"] = ".", ["format"] = "jsonl" });
    }
}
