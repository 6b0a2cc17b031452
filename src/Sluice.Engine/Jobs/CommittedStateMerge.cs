using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.State;
using Sluice.Metadata;

namespace Sluice.Engine.Jobs;

/// <summary>
/// Reconciles the metadata store's state with the state a transactional destination committed with its rows.
/// The runner stamps every state it saves with the job that committed it (and saves a bare stamp for a stream that
/// has none yet, so a reset is visible). The destination's copy wins when its job is the same or later: the
/// destination commits first, so it is never behind the store within a lineage, and a reset (stamped with a later
/// job) makes older destination state lose. A stamped stream the destination holds no state for starts over.
/// </summary>
internal static class CommittedStateMerge
{
    public const string StampKey = "_sluice_sync_id";

    public static async Task<SyncState> PrepareAsync(IMetadataStore store, Guid connectionId, long jobId, IDestination destination,
        System.Text.Json.Nodes.JsonObject destinationConfig, ConfiguredCatalog catalog, Action<string> log, CancellationToken cancellationToken)
    {
        var state = await store.State.GetAsync(connectionId, cancellationToken);
        if (destination is not ICommittedStateDestination committed)
            return Strip(state);
        var fromDestination = await committed.ReadCommittedStateAsync(destinationConfig, catalog, cancellationToken);
        foreach (var stream in catalog.Streams)
        {
            var saved = state.For(stream.Descriptor);
            if (saved is null)
            {
                var marker = new Checkpoint(stream.Descriptor, new JsonObject { [StampKey] = jobId });
                await store.State.SaveAsync(connectionId, marker, cancellationToken);
                state = state.With(marker);
                continue;
            }
            if (saved[StampKey]?.GetValue<long>() is not { } stamp)
                continue; // saved before stamps existed: the store is all we have
            // The destination commits first, so within one lineage it is never behind the store; when it is (a server
            // that lost acknowledged commits, a dropped table) it is still the truth about what it holds.
            var theirs = fromDestination.GetValueOrDefault(stream.Descriptor);
            var truth = theirs is not null && theirs.SyncId >= stamp ? Stamp(theirs.State, theirs.SyncId) : new JsonObject { [StampKey] = stamp };
            if (!JsonNode.DeepEquals(Unstamped(saved), Unstamped(truth)))
            {
                log($"stream {stream.Descriptor}: the destination's committed state {Unstamped(truth)!.ToJsonString()} differs from the metadata store's {Unstamped(saved)!.ToJsonString()}; resuming from the destination's");
                var corrected = new Checkpoint(stream.Descriptor, truth);
                await store.State.SaveAsync(connectionId, corrected, cancellationToken);
                state = state.With(corrected);
            }
        }
        return Strip(state);
    }

    public static JsonNode Stamp(JsonNode data, long jobId)
    {
        if (data.DeepClone() is not JsonObject copy)
            return data;
        copy[StampKey] = jobId;
        return copy;
    }

    private static JsonNode? Unstamped(JsonNode? data)
    {
        if (data?.DeepClone() is not JsonObject copy)
            return data;
        copy.Remove(StampKey);
        return copy;
    }

    /// <summary>Sources never see the stamp; a stream whose state was only a stamp starts from nothing.</summary>
    private static SyncState Strip(SyncState state)
    {
        var streams = new Dictionary<StreamDescriptor, JsonNode>();
        foreach (var (stream, data) in state.Streams)
            if (Unstamped(data) is { } clean && !(clean is JsonObject { Count: 0 }))
                streams[stream] = clean;
        return state with { Streams = streams };
    }
}
