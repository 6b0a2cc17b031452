using Sluice.Core.Catalog;
using Sluice.Core.Evolution;

namespace Sluice.Engine.Evolution;

/// <summary>One detected change with the action chosen for it and the message the history keeps.</summary>
internal sealed record PlannedChange(SchemaChange Change, SchemaChangeAction Action, string Message);

/// <summary>A column the destination must add or widen before the sync writes, by source column name.</summary>
internal sealed record DestinationChange(StreamDescriptor Stream, string Column, bool Widen);

/// <summary>What a schema check decided: the changes, the catalog to sync with, destination work, and whether to pause.</summary>
internal sealed record SchemaPlan(
    IReadOnlyList<PlannedChange> Changes,
    ConfiguredCatalog Catalog,
    IReadOnlyList<DestinationChange> DestinationChanges,
    IReadOnlySet<StreamDescriptor> Skipped)
{
    public bool Pauses => Changes.Any(c => c.Action == SchemaChangeAction.Paused);
}
