using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Engine.Tests;

/// <summary>
/// A destination that keeps batches in memory and "commits" every <see cref="CommitEvery"/> batches, yielding the
/// checkpoints that preceded each commit — the contract every real destination follows — so the engine's
/// ordering of state can be observed precisely.
/// </summary>
internal sealed class MemoryDestination : IDestination
{
    public string Name => "memory";
    public int CommitEvery { get; init; } = 2;
    public int? FailAfterBatches { get; init; }
    public TimeSpan DelayPerBatch { get; init; }
    public List<RecordBatch> Committed { get; } = [];
    public List<string> Events { get; } = [];
    public ConfiguredCatalog? SeenCatalog { get; private set; }

    public ConnectorSpec Spec() => new() { ConnectionSpecification = new JsonObject { ["type"] = "object" } };

    public ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken) => ValueTask.FromResult(CheckResult.Success);

    public async IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog, IAsyncEnumerable<SourceMessage> messages,
        WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SeenCatalog = catalog;
        var pending = new List<RecordBatch>();
        var pendingCheckpoints = new List<Checkpoint>();
        var batches = 0;
        await foreach (var message in messages.WithCancellation(cancellationToken))
        {
            switch (message)
            {
                case RecordBatchMessage records:
                    if (DelayPerBatch > TimeSpan.Zero)
                        await Task.Delay(DelayPerBatch, cancellationToken);
                    batches++;
                    if (batches == FailAfterBatches)
                        throw new IOException("disk full (simulated)");
                    pending.Add(records.Batch);
                    Events.Add($"batch {records.Batch.Length}");
                    if (pending.Count >= CommitEvery)
                        foreach (var c in Commit(pending, pendingCheckpoints))
                            yield return c;
                    break;
                case CheckpointMessage checkpoint:
                    pendingCheckpoints.Add(checkpoint.Checkpoint);
                    break;
            }
        }
        foreach (var c in Commit(pending, pendingCheckpoints))
            yield return c;
    }

    private IEnumerable<Checkpoint> Commit(List<RecordBatch> pending, List<Checkpoint> checkpoints)
    {
        Committed.AddRange(pending);
        Events.Add($"commit {pending.Sum(b => b.Length)}");
        pending.Clear();
        var ready = checkpoints.ToList();
        checkpoints.Clear();
        return ready;
    }
}
