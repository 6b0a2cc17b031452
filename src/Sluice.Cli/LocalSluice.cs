using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Metadata;
using Sluice.Server.Hosting;

namespace Sluice.Cli;

/// <summary>Sluice's services without the web host, for commands that act on the store directly (apply, sync, runs).</summary>
public sealed class LocalSluice : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LocalSluice(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="migrate">Migrate the store first; when false the store must already be at this build's schema
    /// (the distributed processes never migrate by themselves: <c>sluice migrate</c> does, once).</param>
    /// <param name="configure">Registers more services (orchestration, for the scheduler and worker processes).</param>
    public static async Task<LocalSluice> OpenAsync(SluiceOptions options, bool migrate = true, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSluiceCore(options);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var local = new LocalSluice(provider);
        var store = local.Get<IMetadataStore>();
        try
        {
            if (migrate)
                await store.MigrateAsync();
            else
                await store.EnsureSchemaAsync();
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
        return local;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
