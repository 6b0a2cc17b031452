using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Tests.Compliance;

/// <summary>Builds the message sequences a source would send, for feeding destinations in tests.</summary>
public static class MessageStreams
{
    /// <summary>Started, each batch followed by a checkpoint numbered from 1, then Complete.</summary>
    public static List<SourceMessage> Stream(StreamDescriptor stream, IEnumerable<RecordBatch> batches)
    {
        var messages = new List<SourceMessage> { new StreamStatusMessage(stream, StreamStatus.Started) };
        var n = 0;
        foreach (var batch in batches)
        {
            messages.Add(new RecordBatchMessage(stream, batch));
            messages.Add(new CheckpointMessage(Checkpoint(stream, ++n)));
        }
        messages.Add(new StreamStatusMessage(stream, StreamStatus.Complete));
        return messages;
    }

    public static List<SourceMessage> Stream(SampleTable table, int rowsPerBatch = int.MaxValue) =>
        Stream(table.Descriptor, table.Rows.Count == 0 ? [] : table.ToBatches(rowsPerBatch));

    public static Checkpoint Checkpoint(StreamDescriptor stream, int n) => new(stream, new JsonObject { ["n"] = n });

    public static async IAsyncEnumerable<SourceMessage> Async(IEnumerable<SourceMessage> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return message;
        }
    }

    /// <summary>Checkpoint number n of a checkpoint made by <see cref="Checkpoint(StreamDescriptor, int)"/>.</summary>
    public static int Number(Checkpoint checkpoint) => checkpoint.Data["n"]!.GetValue<int>();
}
