using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>Keeps a process's row in the worker registry fresh: registers it, then heartbeats it with its current state.</summary>
internal static class RegistryLoop
{
    public static async Task RunAsync(IMetadataStore store, WorkerRecord record, Func<string> state, TimeProvider time, OrchestrationOptions options, CancellationToken cancellationToken)
    {
        var registered = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A row removed by hand (or never written because the store was down at start) is written again.
                if (!registered || !await store.Workers.HeartbeatAsync(record.Id, state(), cancellationToken))
                {
                    await store.Workers.RegisterAsync(record, cancellationToken);
                    await store.Workers.HeartbeatAsync(record.Id, state(), cancellationToken);
                    registered = true;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                options.Log($"{record.Kind} {record.Id} could not update the registry: {ex.Message}", null);
            }

            try
            {
                await Task.Delay(options.RegistryEvery, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public static async Task SayStoppedAsync(IMetadataStore store, string id, OrchestrationOptions options)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store.Workers.HeartbeatAsync(id, WorkerRecord.Stopped, timeout.Token);
        }
        catch (Exception ex)
        {
            options.Log($"{id} could not mark itself stopped in the registry: {ex.Message}", null);
        }
    }
}
