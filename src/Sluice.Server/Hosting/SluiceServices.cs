using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Connectors;
using Sluice.Engine.Jobs;
using Sluice.Engine.Pipeline;
using Sluice.Metadata;
using Sluice.Server.Definitions;
using Sluice.Server.Jobs;

namespace Sluice.Server.Hosting;

public static class SluiceServices
{
    /// <summary>Registers the metadata store, connectors, engine and job runner: everything but HTTP.</summary>
    public static IServiceCollection AddSluiceCore(this IServiceCollection services, SluiceOptions options)
    {
        Directory.CreateDirectory(options.DataDir);
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IMetadataStore>(sp => MetadataStoreFactory.Open(options.StoreLocation, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => BuiltInConnectors.Registry());
        services.AddSingleton(sp => new SyncEngine(BuiltInConnectors.DirectTransfers(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ConnectionResolver(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<ConnectorRegistry>()));
        services.AddSingleton<SyncJobRunner>();
        services.AddSingleton<DefinitionApplier>();
        services.AddSingleton<JobQueue>();
        return services;
    }
}
