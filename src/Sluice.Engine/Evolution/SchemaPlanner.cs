using Sluice.Core.Catalog;
using Sluice.Core.Evolution;
using Sluice.Core.Model;

namespace Sluice.Engine.Evolution;

/// <summary>
/// Decides what to do about the differences between the schema last seen and the source's schema now, under the
/// connection's policy (the table in docs/sync-modes.md, "Schema evolution"). Pure: it reads no database and
/// changes nothing; <see cref="SchemaEvolution"/> carries the plan out. Columns are compared for the streams the
/// connection syncs; for the other streams only their appearance and disappearance.
/// </summary>
/// <param name="accepting">Planning a resume: the person has reviewed the changes, so what would pause is accepted.</param>
internal sealed partial class SchemaPlanner(Connection connection, bool accepting)
{
    private readonly List<PlannedChange> _changes = [];
    private readonly List<DestinationChange> _destination = [];
    private readonly HashSet<StreamDescriptor> _skipped = [];

    private SchemaChangePolicy Policy => connection.SchemaChangePolicy;
    /// <summary>Policy pause: every change waits for a person.</summary>
    private bool Reviewing => Policy == SchemaChangePolicy.Pause && !accepting;
    private bool Ignoring => Policy == SchemaChangePolicy.Ignore;

    private string Resume => $"then resume the connection (sluice connections resume {connection.Name})";

    public SchemaPlan Plan(IReadOnlyDictionary<StreamDescriptor, StreamSchema> snapshot, SourceCatalog discovered)
    {
        // Before the first check there is no snapshot: the configured catalog is the baseline of its streams, and the
        // other streams the source has now are taken as known.
        var firstCheck = snapshot.Count == 0;
        var found = discovered.Streams.ToDictionary(s => s.Descriptor);
        var streams = new List<ConfiguredStream>();
        foreach (var configured in connection.Catalog.Streams)
        {
            if (found.TryGetValue(configured.Descriptor, out var now))
                streams.Add(PlanColumns(configured, snapshot.GetValueOrDefault(configured.Descriptor) ?? configured.Stream, now));
            else if (PlanMissingStream(configured, newlyMissing: firstCheck || snapshot.ContainsKey(configured.Descriptor)))
                streams.Add(configured);
        }
        if (!firstCheck)
        {
            var configuredStreams = connection.Catalog.Streams.Select(s => s.Descriptor).ToHashSet();
            foreach (var added in discovered.Streams.Where(s => !configuredStreams.Contains(s.Descriptor) && !snapshot.ContainsKey(s.Descriptor)))
                if (PlanAddedStream(added) is { } stream)
                    streams.Add(stream);
            foreach (var gone in snapshot.Values.Where(s => !configuredStreams.Contains(s.Descriptor) && !found.ContainsKey(s.Descriptor)))
                Decide(new SchemaChange(gone.Descriptor, SchemaChangeKind.StreamRemoved), Ignoring ? SchemaChangeAction.Ignored : SchemaChangeAction.Applied,
                    "the connection did not sync it; nothing to change");
        }
        if (_changes.Any(c => c.Action == SchemaChangeAction.Paused))
        {
            // A pause applies nothing, so the history must not claim anything was applied or ignored.
            for (var i = 0; i < _changes.Count; i++)
                if (_changes[i].Action != SchemaChangeAction.Paused)
                    _changes[i] = _changes[i] with { Action = SchemaChangeAction.Paused, Message = $"not handled: the connection paused for another change (else: {_changes[i].Message})" };
            return new SchemaPlan(_changes, connection.Catalog, [], new HashSet<StreamDescriptor>());
        }
        return new SchemaPlan(_changes, new ConfiguredCatalog(streams), _destination, _skipped);
    }

    /// <summary>A configured stream the source no longer has. Returns whether the stream stays in the catalog.</summary>
    private bool PlanMissingStream(ConfiguredStream configured, bool newlyMissing)
    {
        if (!newlyMissing)
        {
            _skipped.Add(configured.Descriptor); // already recorded when it went missing
            return true;
        }
        var change = new SchemaChange(configured.Descriptor, SchemaChangeKind.StreamRemoved);
        if (Policy == SchemaChangePolicy.PropagateAll)
        {
            Decide(change, SchemaChangeAction.Applied, "removed from the connection's streams; the destination table is kept as it is");
            return false;
        }
        _skipped.Add(configured.Descriptor);
        Decide(change, SchemaChangeAction.Ignored,
            "kept in the connection's streams and skipped while the source lacks it; the destination table is kept as it is (policy propagate_all would remove the stream)");
        return true;
    }

    private ConfiguredStream? PlanAddedStream(StreamSchema added)
    {
        var change = new SchemaChange(added.Descriptor, SchemaChangeKind.StreamAdded);
        if (Policy != SchemaChangePolicy.PropagateAll)
        {
            Decide(change, SchemaChangeAction.Ignored, "not synced: add it to the connection's streams to sync it (policy propagate_all adds new streams)");
            return null;
        }
        Decide(change, SchemaChangeAction.Applied, "added to the connection's streams as full_refresh / overwrite");
        return new ConfiguredStream
        {
            Stream = added with { EstimatedRows = null },
            SyncMode = SyncMode.FullRefresh,
            DestinationSyncMode = DestinationSyncMode.Overwrite,
            PrimaryKey = added.PrimaryKey,
        };
    }

    /// <summary>Records the action, unless the policy is pause: then every change waits for review.</summary>
    private void Decide(SchemaChange change, SchemaChangeAction action, string message)
    {
        if (Reviewing)
            Pause(change, $"policy pause: review the change, {Resume}; resuming applies it as propagate_columns would");
        else
            _changes.Add(new PlannedChange(change, action, message));
    }

    private void Pause(SchemaChange change, string message) => _changes.Add(new PlannedChange(change, SchemaChangeAction.Paused, message));
}
