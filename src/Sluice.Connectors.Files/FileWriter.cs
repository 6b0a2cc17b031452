using System.Runtime.CompilerServices;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Files;

/// <summary>
/// The destination's message loop. An append stream's checkpoint completes the open part first, so its rows are
/// readable when the checkpoint is yielded. An overwrite stream's checkpoints wait for the folder swap at the end:
/// until then its rows are only in the temp folder, which a retry would not reuse.
/// </summary>
internal static class FileWriter
{
    public static async IAsyncEnumerable<Checkpoint> WriteAsync(FileConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = RootedPath.Root(config);
        var output = RootedPath.Resolve(root, config.Path);
        Directory.CreateDirectory(output);
        var writers = new Dictionary<StreamDescriptor, StreamFolderWriter>();
        var held = new List<Checkpoint>();

        StreamFolderWriter Writer(StreamDescriptor descriptor)
        {
            if (writers.TryGetValue(descriptor, out var writer))
                return writer;
            var stream = catalog.Find(descriptor)
                ?? throw new ConfigException("catalog", $"stream '{descriptor}' is not in the configured catalog");
            return writers[descriptor] = new StreamFolderWriter(config, output, stream, context);
        }
        bool MustWait(Checkpoint checkpoint) => checkpoint.Stream is null
            ? writers.Values.Any(w => w.Overwrites && !w.Finished)
            : writers.TryGetValue(checkpoint.Stream, out var w) && w.Overwrites && !w.Finished;

        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken))
            {
                switch (message)
                {
                    case StreamStatusMessage { Status: StreamStatus.Started } started:
                        Writer(started.Stream).Start();
                        break;
                    case RecordBatchMessage batch:
                        await Writer(batch.Stream).WriteAsync(batch.Batch, cancellationToken);
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Complete } complete:
                        await Writer(complete.Stream).FinishAsync(cancellationToken);
                        foreach (var checkpoint in Release(held, MustWait))
                            yield return checkpoint;
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Incomplete } incomplete:
                        await Writer(incomplete.Stream).AbandonAsync(cancellationToken);
                        break;
                    case CheckpointMessage { Checkpoint: var checkpoint }:
                        var covered = checkpoint.Stream is null ? writers.Values.ToList() : [Writer(checkpoint.Stream)];
                        foreach (var writer in covered.Where(w => !w.Overwrites))
                            await writer.CommitAsync(cancellationToken);
                        if (MustWait(checkpoint))
                            held.Add(checkpoint);
                        else
                            yield return checkpoint;
                        break;
                }
            }
            // A source that ends without Complete has still sent everything: finish its streams.
            foreach (var writer in writers.Values.Where(w => !w.Finished))
                await writer.FinishAsync(cancellationToken);
            foreach (var checkpoint in Release(held, _ => false))
                yield return checkpoint;
        }
        finally
        {
            // A failed sync leaves no temp folders behind; appended parts already completed stay.
            foreach (var writer in writers.Values.Where(w => !w.Finished))
                await writer.AbandonAsync(CancellationToken.None);
        }
    }

    private static List<Checkpoint> Release(List<Checkpoint> held, Func<Checkpoint, bool> mustWait)
    {
        var ready = held.Where(c => !mustWait(c)).ToList();
        held.RemoveAll(c => !mustWait(c));
        return ready;
    }
}
