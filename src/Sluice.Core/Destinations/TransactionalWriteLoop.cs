using System.Runtime.CompilerServices;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Core.Destinations;

/// <summary>
/// The message loop of the embedded SQL destinations (SQLite, DuckDB). Rows go into one open transaction. A stream's
/// checkpoint merges what is pending, writes itself to <c>_sluice_state</c> and commits, all in that transaction,
/// before it is yielded: a crash either loses both the rows and the state or keeps both, so a retry resumes exactly
/// after them. An overwrite stream's checkpoints wait for its swap (until then its rows are only in staging, which a
/// retry starts again); a global checkpoint waits for every overwrite stream open when it arrived.
/// </summary>
/// <remarks>
/// The one transaction is shared by all streams, so a commit for one stream also commits the rows another append
/// stream sent since its last checkpoint. Sources that send streams one after another (every built-in one) never
/// interleave them, so that case does not arise for them.
/// </remarks>
public static class TransactionalWriteLoop
{
    public static async IAsyncEnumerable<Checkpoint> RunAsync(ILoadSession session, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var loads = new Dictionary<StreamDescriptor, IStreamLoad>();
        var heldByStream = new Dictionary<StreamDescriptor, List<Checkpoint>>();
        var heldGlobal = new List<(Checkpoint Checkpoint, HashSet<StreamDescriptor> Waiting)>();

        IStreamLoad Load(StreamDescriptor descriptor)
        {
            if (loads.TryGetValue(descriptor, out var load))
                return load;
            var stream = catalog.Find(descriptor)
                ?? throw new ConfigException("catalog", $"stream '{descriptor}' is not in the configured catalog");
            return loads[descriptor] = session.CreateLoad(stream);
        }

        async Task CommitAsync()
        {
            foreach (var load in loads.Values.Where(l => !l.Finished))
                await load.MergeAsync(cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        async Task<List<Checkpoint>> FinishAsync(IStreamLoad load)
        {
            await session.BeginAsync(cancellationToken);
            await load.FinishAsync(cancellationToken);
            var held = heldByStream.Remove(load.Stream.Descriptor, out var list) ? list : [];
            if (held.Count > 0)
                await session.SaveStateAsync(load.Stream, held[^1].Data, cancellationToken);
            await CommitAsync();
            foreach (var global in heldGlobal)
                global.Waiting.Remove(load.Stream.Descriptor);
            held.AddRange(heldGlobal.Where(g => g.Waiting.Count == 0).Select(g => g.Checkpoint));
            heldGlobal.RemoveAll(g => g.Waiting.Count == 0);
            return held;
        }

        await foreach (var message in messages.WithCancellation(cancellationToken))
        {
            switch (message)
            {
                case StreamStatusMessage { Status: StreamStatus.Started } started:
                    await session.BeginAsync(cancellationToken);
                    await Load(started.Stream).StartAsync(cancellationToken);
                    break;
                case RecordBatchMessage batch:
                    await session.BeginAsync(cancellationToken);
                    await Load(batch.Stream).WriteAsync(batch.Batch, cancellationToken);
                    break;
                case StreamStatusMessage { Status: StreamStatus.Complete } complete when !Load(complete.Stream).Finished:
                    foreach (var checkpoint in await FinishAsync(Load(complete.Stream)))
                        yield return checkpoint;
                    break;
                case StreamStatusMessage { Status: StreamStatus.Incomplete } incomplete:
                    // The source gave up on this stream: its staging goes, its held checkpoints are never released.
                    await session.BeginAsync(cancellationToken);
                    await Load(incomplete.Stream).AbandonAsync(cancellationToken);
                    heldByStream.Remove(incomplete.Stream);
                    await CommitAsync();
                    break;
                case CheckpointMessage { Checkpoint: { Stream: { } descriptor } checkpoint }:
                    var owner = Load(descriptor);
                    if (owner.Overwrites && !owner.Finished)
                    {
                        (heldByStream.TryGetValue(descriptor, out var list) ? list : heldByStream[descriptor] = []).Add(checkpoint);
                        break;
                    }
                    await session.BeginAsync(cancellationToken);
                    await owner.StartAsync(cancellationToken);
                    await session.SaveStateAsync(owner.Stream, checkpoint.Data, cancellationToken);
                    await CommitAsync();
                    yield return checkpoint;
                    break;
                case CheckpointMessage { Checkpoint: var global }:
                    await CommitAsync();
                    var waiting = loads.Values.Where(l => l.Overwrites && !l.Finished).Select(l => l.Stream.Descriptor).ToHashSet();
                    if (waiting.Count == 0 && heldGlobal.Count == 0)
                        yield return global;
                    else
                        heldGlobal.Add((global, waiting));
                    break;
            }
        }

        // A source that ends without Complete has still sent everything: finish its streams.
        foreach (var load in loads.Values.Where(l => !l.Finished).ToList())
            foreach (var checkpoint in await FinishAsync(load))
                yield return checkpoint;
        await CommitAsync();
    }
}
