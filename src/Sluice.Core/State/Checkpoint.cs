using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.State;

/// <summary>
/// A resumable position (cursor value, LSN, binlog position, chunk boundary) that follows the records it covers.
/// Per stream (Airbyte's STREAM state) when <see cref="Stream"/> is set, otherwise global (GLOBAL state, for CDC).
/// </summary>
public sealed record Checkpoint(StreamDescriptor? Stream, JsonNode Data)
{
    /// <summary>Records of this stream the source emitted before this checkpoint, counted by the engine.</summary>
    public long RecordCount { get; init; }
}
