using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Connectors;

/// <summary>
/// A destination that can change an existing table when the source's schema changes (docs/sync-modes.md, "Schema
/// evolution"). The engine calls it at the start of a sync, before writing, with the stream as the destination sees
/// it (target names, namespace, mappings applied). Both operations are idempotent and do nothing when the table does
/// not exist yet: a sync that creates the table creates it with the new columns anyway. Destinations without it
/// (files: each part file carries its own schema) get the changed catalog and nothing else.
/// </summary>
public interface ISchemaEvolvingDestination
{
    /// <summary>Adds the columns the table lacks, nullable (the rows already there have no value for them).</summary>
    Task AddColumnsAsync(JsonObject config, ConfiguredStream stream, IReadOnlyList<ColumnSchema> columns, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a column to the type <paramref name="column"/> now has, which <see cref="Evolution.TypeWidening.IsSafe"/>
    /// allows from its previous type. Nothing happens when the table or the column does not exist, or when the
    /// destination already stores both types the same way.
    /// </summary>
    Task WidenColumnAsync(JsonObject config, ConfiguredStream stream, ColumnSchema column, CancellationToken cancellationToken);
}
