using System.Runtime.CompilerServices;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Routes a source's messages to one <see cref="PostgresStreamLoad"/> per stream and releases each checkpoint only
/// once everything before it is committed: append at the checkpoint itself, overwrite after the swap.
/// </summary>
internal static class PostgresWriter
{
    public static async IAsyncEnumerable<Checkpoint> WriteAsync(PostgresConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var loads = new Dictionary<StreamDescriptor, PostgresStreamLoad>();
        // Global checkpoints wait until every overwrite stream open when they arrived has swapped.
        var heldGlobal = new List<(Checkpoint Checkpoint, HashSet<StreamDescriptor> Waiting)>();
        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken))
            {
                var released = new List<Checkpoint>();
                switch (message)
                {
                    case RecordBatchMessage batch:
                        await Load(batch.Stream).WriteAsync(batch.Batch, cancellationToken);
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Started } started:
                        Load(started.Stream);
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Complete } complete:
                        await CompleteAsync(complete.Stream, released);
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Incomplete } incomplete when loads.Remove(incomplete.Stream, out var failed):
                        // The source gave up on this stream: roll its load back and keep its checkpoints unsaved.
                        await failed.DisposeAsync();
                        foreach (var held in heldGlobal)
                            held.Waiting.Add(incomplete.Stream);
                        break;
                    case CheckpointMessage { Checkpoint: var checkpoint }:
                        await CheckpointAsync(checkpoint, released);
                        break;
                }
                foreach (var checkpoint in released)
                    yield return checkpoint;
            }

            var final = new List<Checkpoint>();
            foreach (var stream in loads.Keys.ToList())
                await CompleteAsync(stream, final);
            foreach (var checkpoint in final)
                yield return checkpoint;
        }
        finally
        {
            foreach (var load in loads.Values)
                await load.DisposeAsync();
        }

        PostgresStreamLoad Load(StreamDescriptor descriptor)
        {
            if (loads.TryGetValue(descriptor, out var load))
                return load;
            var stream = catalog.Find(descriptor)
                ?? throw new InvalidOperationException($"stream {descriptor} is not in the configured catalog");
            return loads[descriptor] = new PostgresStreamLoad(config, stream, context);
        }

        async Task CompleteAsync(StreamDescriptor descriptor, List<Checkpoint> released)
        {
            if (!loads.Remove(descriptor, out var load))
                return;
            await using (load)
                await load.CompleteAsync(cancellationToken);
            released.AddRange(load.HeldCheckpoints);
            foreach (var held in heldGlobal)
                held.Waiting.Remove(descriptor);
            released.AddRange(heldGlobal.Where(h => h.Waiting.Count == 0).Select(h => h.Checkpoint));
            heldGlobal.RemoveAll(h => h.Waiting.Count == 0);
        }

        async Task CheckpointAsync(Checkpoint checkpoint, List<Checkpoint> released)
        {
            if (checkpoint.Stream is not null)
            {
                if (!loads.TryGetValue(checkpoint.Stream, out var load))
                    released.Add(checkpoint); // nothing of this stream is uncommitted
                else if (load.Overwrite)
                    load.HeldCheckpoints.Add(checkpoint);
                else
                {
                    await load.CommitAsync(checkpoint, cancellationToken);
                    released.Add(checkpoint);
                }
                return;
            }
            foreach (var load in loads.Values.Where(l => !l.Overwrite))
                await load.CommitAsync(null, cancellationToken);
            var waiting = loads.Values.Where(l => l.Overwrite).Select(l => l.Stream.Descriptor).ToHashSet();
            if (waiting.Count == 0 && heldGlobal.Count == 0)
                released.Add(checkpoint);
            else
                heldGlobal.Add((checkpoint, waiting));
        }
    }
}
