using Microsoft.Extensions.DependencyInjection;
using Sluice.Core.Connectors;
using Sluice.Engine.Jobs;
using Sluice.Engine.Pipeline;
using Sluice.Metadata;
using Sluice.Server.Definitions;
using Sluice.Server.Jobs;
using Sluice.Server.Secrets;

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
        services.AddSingleton(_ => new SecretVault(MasterKeyRing.Load(options.DataDir, options.MasterKey), options.DataDir, options.MasterKey));
        // Connectors are the only consumers of plaintext secrets: the resolver decrypts them just before a check, discover or sync.
        services.AddSingleton(sp => new ConnectionResolver(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<ConnectorRegistry>(),
            actor => sp.GetRequiredService<SecretVault>().Reveal(actor.Config)));
        services.AddSingleton<SyncJobRunner>();
        services.AddSingleton<DefinitionApplier>();
        services.AddSingleton<JobQueue>();
        return services;
    }
}
