using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Sqlite;

/// <summary>
/// The destination's message loop. Rows go into one open transaction that a checkpoint commits before the checkpoint
/// is yielded. An overwrite stream's checkpoints wait for its swap: until then its rows are only in staging, and a
/// retry starts a new staging table, so saving such a checkpoint early could lose rows.
/// </summary>
internal static class SqliteWriter
{
    public static async IAsyncEnumerable<Checkpoint> WriteAsync(SqliteConfig config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await config.OpenReadWriteAsync(cancellationToken);
        var writers = new Dictionary<StreamDescriptor, SqliteTableWriter>();
        var held = new List<Checkpoint>();
        SqliteTransaction? transaction = null;

        SqliteTransaction Transaction() => transaction ??= connection.BeginTransaction();
        async Task CommitAsync()
        {
            if (transaction is null)
                return;
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            transaction = null;
        }
        SqliteTableWriter Writer(StreamDescriptor descriptor)
        {
            if (writers.TryGetValue(descriptor, out var writer))
                return writer;
            var stream = catalog.Find(descriptor)
                ?? throw new ConfigException("catalog", $"stream '{descriptor}' is not in the configured catalog");
            return writers[descriptor] = new SqliteTableWriter(connection, stream, context);
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
                        await Writer(started.Stream).StartAsync(Transaction(), cancellationToken);
                        break;
                    case RecordBatchMessage batch:
                        await Writer(batch.Stream).WriteAsync(Transaction(), batch.Batch, cancellationToken);
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Complete } complete:
                        await Writer(complete.Stream).FinishAsync(Transaction(), cancellationToken);
                        await CommitAsync();
                        foreach (var checkpoint in Release(held, MustWait))
                            yield return checkpoint;
                        break;
                    case StreamStatusMessage { Status: StreamStatus.Incomplete } incomplete:
                        await Writer(incomplete.Stream).AbandonAsync(Transaction(), cancellationToken);
                        await CommitAsync();
                        break;
                    case CheckpointMessage { Checkpoint: var checkpoint }:
                        if (checkpoint.Stream is not null)
                            await Writer(checkpoint.Stream).StartAsync(Transaction(), cancellationToken);
                        await CommitAsync();
                        if (MustWait(checkpoint))
                            held.Add(checkpoint);
                        else
                            yield return checkpoint;
                        break;
                }
            }
            // A source that ends without Complete has still sent everything: finish its streams.
            foreach (var writer in writers.Values.Where(w => !w.Finished))
                await writer.FinishAsync(Transaction(), cancellationToken);
            await CommitAsync();
            foreach (var checkpoint in Release(held, _ => false))
                yield return checkpoint;
        }
        finally
        {
            if (transaction is not null)
                await transaction.DisposeAsync();
        }
    }

    private static List<Checkpoint> Release(List<Checkpoint> held, Func<Checkpoint, bool> mustWait)
    {
        var ready = held.Where(c => !mustWait(c)).ToList();
        held.RemoveAll(c => !mustWait(c));
        return ready;
    }
}
