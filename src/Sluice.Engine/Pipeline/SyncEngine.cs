using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.Model;
using Sluice.Core.State;
using Sluice.Engine.Mapping;

namespace Sluice.Engine.Pipeline;

/// <summary>
/// Runs one sync attempt: source → bounded channel of batches → mappings → destination. A slow destination slows
/// the source (the channel is bounded), and a checkpoint is handed to <see cref="SyncCallbacks.CheckpointCommitted"/>
/// only once the destination reports it committed everything before it.
/// </summary>
public sealed class SyncEngine(IEnumerable<IDirectTransfer> directTransfers, TimeProvider time)
{
    private readonly IReadOnlyList<IDirectTransfer> _directTransfers = directTransfers.ToList();

    public SyncEngine() : this([], TimeProvider.System)
    {
    }

    public async Task<SyncStats> RunAsync(SyncRequest request, SyncCallbacks callbacks, CancellationToken cancellationToken)
    {
        var stats = new StatsCounter();
        var kill = KillPoint.FromEnvironment();
        if (kill is not null)
            callbacks = Killing(callbacks, kill);
        var context = new WriteContext(request.SyncId, time.GetUtcNow());
        var mappings = request.Catalog.Streams.ToDictionary(s => s.Descriptor, s => new StreamMapping(s, request.Source as IMappingPushdown));
        using var progress = new ProgressPump(stats, callbacks, time);

        var direct = new List<(ConfiguredStream Stream, IDirectTransfer Transfer)>();
        var piped = new List<ConfiguredStream>();
        foreach (var stream in request.Catalog.Streams)
        {
            var transfer = mappings[stream.Descriptor].IsIdentity
                ? _directTransfers.FirstOrDefault(t => t.CanTransfer(request.Source, request.Destination, stream))
                : null;
            if (transfer is null)
                piped.Add(stream);
            else
                direct.Add((stream, transfer));
        }

        foreach (var stream in piped)
            LogMappings(stream, mappings[stream.Descriptor], callbacks);
        foreach (var (stream, transfer) in direct)
            await RunDirectAsync(request, stream, transfer, context, stats, callbacks, cancellationToken);
        if (piped.Count > 0)
            await RunPipelineAsync(request, piped, mappings, context, stats, callbacks, kill, cancellationToken);
        return stats.Snapshot();
    }

    /// <summary>Says where each mapping runs, so a pushed-down one (and the SQL it became) shows in the sync's log.</summary>
    private static void LogMappings(ConfiguredStream stream, StreamMapping mapping, SyncCallbacks callbacks)
    {
        foreach (var (pushed, expression) in mapping.Pushed)
            callbacks.Log($"stream {stream.Descriptor}: {pushed} pushed into the source query as {expression}");
        foreach (var applied in mapping.Applied)
            callbacks.Log($"stream {stream.Descriptor}: {applied} applied by the engine");
    }

    private static async Task RunDirectAsync(SyncRequest request, ConfiguredStream stream, IDirectTransfer transfer,
        WriteContext context, StatsCounter stats, SyncCallbacks callbacks, CancellationToken cancellationToken)
    {
        callbacks.Log($"stream {stream.Descriptor}: direct transfer ({transfer.GetType().Name})");
        long lastRecords = 0, lastBytes = 0;
        var progress = new InlineProgress<DirectTransferProgress>(p =>
            stats.Read(stream.Descriptor, p.Records - Interlocked.Exchange(ref lastRecords, p.Records), p.Bytes - Interlocked.Exchange(ref lastBytes, p.Bytes)));
        var result = await transfer.TransferAsync(request.SourceConfig, request.DestinationConfig, stream, context, progress, cancellationToken);
        stats.Read(stream.Descriptor, result.Records - lastRecords, result.Bytes - lastBytes);
        var checkpoint = new Checkpoint(stream.Descriptor, new System.Text.Json.Nodes.JsonObject { ["completed"] = true }) { RecordCount = result.Records };
        stats.Committed(stream.Descriptor, result.Records);
        await callbacks.CheckpointCommitted(checkpoint, cancellationToken);
    }

    private async Task RunPipelineAsync(SyncRequest request, IReadOnlyList<ConfiguredStream> streams,
        IReadOnlyDictionary<StreamDescriptor, StreamMapping> mappings, WriteContext context, StatsCounter stats,
        SyncCallbacks callbacks, KillPoint? kill, CancellationToken cancellationToken)
    {
        var sourceCatalog = new ConfiguredCatalog(streams.Select(s => mappings[s.Descriptor].SourceStream).ToList());
        var destinationCatalog = new ConfiguredCatalog(streams.Select(s => mappings[s.Descriptor].DestinationStream).ToList());
        var channel = Channel.CreateBounded<SourceMessage>(new BoundedChannelOptions(request.ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in request.Source.ReadAsync(request.SourceConfig, sourceCatalog, request.State, linked.Token).WithCancellation(linked.Token))
                {
                    var mapped = Map(message, mappings, stats, callbacks);
                    if (mapped is not null)
                        await channel.Writer.WriteAsync(mapped, linked.Token);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(new SourceFailedException(e));
                throw;
            }
        }, linked.Token);

        try
        {
            await foreach (var committed in request.Destination.WriteAsync(request.DestinationConfig, destinationCatalog, Drain(channel.Reader, kill, linked.Token), context, linked.Token).WithCancellation(linked.Token))
            {
                stats.Committed(committed.Stream, committed.RecordCount);
                await callbacks.CheckpointCommitted(committed, linked.Token);
            }
        }
        catch (SourceFailedException e)
        {
            await linked.CancelAsync();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }
        catch
        {
            // The destination failed: stop the reader so the source's connections close promptly.
            await linked.CancelAsync();
            await Task.WhenAny(reader);
            throw;
        }
        await reader;
    }

    private static async IAsyncEnumerable<SourceMessage> Drain(ChannelReader<SourceMessage> reader, KillPoint? kill, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken))
            while (reader.TryRead(out var message))
            {
                if (kill is not null && Event(message) is { } reached)
                    kill.Reached(reached);
                yield return message;
            }
    }

    private static KillEvent? Event(SourceMessage message) => message switch
    {
        StreamStatusMessage { Status: StreamStatus.Started } => KillEvent.Started,
        StreamStatusMessage { Status: StreamStatus.Complete } => KillEvent.Complete,
        CheckpointMessage => KillEvent.Checkpoint,
        _ => null,
    };

    /// <summary>The callbacks with the kill point's committed and saved events around the save of each checkpoint.</summary>
    private static SyncCallbacks Killing(SyncCallbacks callbacks, KillPoint kill) => new()
    {
        CheckpointCommitted = async (checkpoint, ct) =>
        {
            kill.Reached(KillEvent.Committed);
            await callbacks.CheckpointCommitted(checkpoint, ct);
            kill.Reached(KillEvent.Saved);
        },
        Progress = callbacks.Progress,
        Log = callbacks.Log,
        ProgressInterval = callbacks.ProgressInterval,
    };

    private static SourceMessage? Map(SourceMessage message, IReadOnlyDictionary<StreamDescriptor, StreamMapping> mappings, StatsCounter stats, SyncCallbacks callbacks)
    {
        switch (message)
        {
            case RecordBatchMessage records:
                stats.Read(records.Stream, records.Batch.Length, ArrowValues.ByteSize(records.Batch));
                return mappings.TryGetValue(records.Stream, out var mapping) ? records with { Batch = mapping.Apply(records.Batch) } : records;
            case CheckpointMessage checkpoint:
                var stream = checkpoint.Checkpoint.Stream;
                var count = stream is null ? stats.Snapshot().RecordsRead : stats.RecordsRead(stream);
                return new CheckpointMessage(checkpoint.Checkpoint with { RecordCount = count });
            case LogMessage log:
                callbacks.Log($"[source] {log.Level.ToString().ToUpperInvariant()} {log.Text}");
                return log;
            default:
                return message;
        }
    }

    /// <summary>Carries a source failure through the channel so the destination stops and the source's error is reported.</summary>
    private sealed class SourceFailedException(Exception inner) : Exception(inner.Message, inner);

}
