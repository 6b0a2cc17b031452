using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Core.Connectors;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Runtime;

namespace Sluice.Server.Hosting;

/// <summary>Registers DAG operations, the task executors, and (for standalone) the scheduler and worker as a hosted service.</summary>
public static class OrchestrationServices
{
    public static IServiceCollection AddSluiceOrchestration(this IServiceCollection services, bool runSchedulerAndWorker)
    {
        services.AddSingleton<OrchestrationSignals>();
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sluice.Orchestration");
            return new OrchestrationOptions
            {
                // Slots are cheap (an attempt is mostly waiting on a process or a database), so more than cores.
                WorkerSlots = int.TryParse(Environment.GetEnvironmentVariable("SLUICE_WORKER_SLOTS"), out var slots) && slots > 0 ? slots : 16,
                Log = (message, exception) =>
                {
                    if (exception is null)
                        logger.LogInformation("{Message}", message);
                    else
                        logger.LogWarning(exception, "{Message}", message);
                },
            };
        });
        services.AddSingleton(sp => new DagCatalog(sp.GetRequiredService<IMetadataStore>()));
        services.AddSingleton(sp => new PoolOperations(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<DagCatalog>()));
        services.AddSingleton(sp => new DagOperations(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<DagCatalog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OrchestrationSignals>()));
        services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var store = sp.GetRequiredService<IMetadataStore>();
            return TaskExecutors.CreateDefault(time, new HttpClient())
                .Register("sync", new SyncTaskExecutor(store, sp.GetRequiredService<SyncJobRunner>(), time, sp.GetRequiredService<OrchestrationOptions>()))
                .Register("sql", new SqlTaskExecutor(store, sp.GetRequiredService<ConnectionResolver>(), sp.GetRequiredService<ConnectorRegistry>(), time));
        });
        services.AddSingleton(sp => new SchedulerLoop(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<DagCatalog>(),
            sp.GetRequiredService<OrchestrationSignals>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OrchestrationOptions>()));
        services.AddSingleton(sp => new WorkerLoop(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<DagCatalog>(), sp.GetRequiredService<TaskExecutors>(),
            sp.GetRequiredService<OrchestrationSignals>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OrchestrationOptions>()));
        services.AddSingleton(sp => new JobWorkerLoop(sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<SyncJobRunner>(),
            sp.GetRequiredService<OrchestrationSignals>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OrchestrationOptions>()));
        if (runSchedulerAndWorker)
            services.AddHostedService<SchedulerAndWorker>();
        return services;
    }

    /// <summary>Standalone mode: the scheduler and a worker inside the server process.</summary>
    private sealed class SchedulerAndWorker(SchedulerLoop scheduler, WorkerLoop worker) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.WhenAll(Task.Run(() => scheduler.RunAsync(stoppingToken), CancellationToken.None), Task.Run(() => worker.RunAsync(stoppingToken), CancellationToken.None));
    }
}
