using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.State;

/// <summary>The last committed state of a connection: one entry per stream, plus an optional global one.</summary>
public sealed record SyncState(IReadOnlyDictionary<StreamDescriptor, JsonNode> Streams, JsonNode? Global = null)
{
    public static readonly SyncState Empty = new(new Dictionary<StreamDescriptor, JsonNode>());

    public JsonNode? For(StreamDescriptor stream) => Streams.TryGetValue(stream, out var s) ? s : null;

    public SyncState With(Checkpoint checkpoint)
    {
        if (checkpoint.Stream is null)
            return this with { Global = checkpoint.Data.DeepClone() };
        var streams = new Dictionary<StreamDescriptor, JsonNode>(Streams) { [checkpoint.Stream] = checkpoint.Data.DeepClone() };
        return this with { Streams = streams };
    }

    public SyncState Without(StreamDescriptor stream)
    {
        var streams = new Dictionary<StreamDescriptor, JsonNode>(Streams);
        streams.Remove(stream);
        return this with { Streams = streams };
    }
}
