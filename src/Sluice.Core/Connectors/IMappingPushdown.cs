using Sluice.Core.Catalog;

namespace Sluice.Core.Connectors;

/// <summary>
/// A source that computes column mappings (rename, hash, mask) in its own query. The engine hands it only the
/// mappings it accepts here and applies the others itself, so a pushed mapping must give byte for byte the value
/// the engine would (docs/connections.md, "Mappings").
/// </summary>
public interface IMappingPushdown
{
    /// <summary>
    /// The select expression that computes <paramref name="mapping"/> (a rename, hash or mask) of
    /// <paramref name="column"/> exactly as the engine does, or null when the source cannot (a type whose text the
    /// source renders differently): the engine applies it. A source that returns an expression honours the mapping
    /// when it is in the stream it reads.
    /// </summary>
    string? PushDown(ColumnSchema column, ColumnMapping mapping);
}
