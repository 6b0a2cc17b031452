using System.Text.Json.Nodes;
using Sluice.Core.Catalog;

namespace Sluice.Core.Connectors;

/// <summary>Airbyte's <c>ConnectorSpecification</c>: the JSON Schema of a connector's config and what it supports.</summary>
public sealed record ConnectorSpec
{
    public required JsonObject ConnectionSpecification { get; init; }
    public string? DocumentationUrl { get; init; }
    public bool SupportsIncremental { get; init; }
    public IReadOnlyList<DestinationSyncMode> SupportedDestinationSyncModes { get; init; } = [];

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["connectionSpecification"] = ConnectionSpecification.DeepClone() };
        if (DocumentationUrl is not null)
            json["documentationUrl"] = DocumentationUrl;
        json["supportsIncremental"] = SupportsIncremental;
        if (SupportedDestinationSyncModes.Count > 0)
            json["supported_destination_sync_modes"] = new JsonArray(SupportedDestinationSyncModes.Select(m => (JsonNode)m.ToProtocol()).ToArray());
        return json;
    }

    /// <summary>Property paths the spec marks <c>airbyte_secret</c>, e.g. <c>password</c> or <c>tunnel.password</c>.</summary>
    public IReadOnlyList<string> SecretPaths() => SecretPathFinder.Find(ConnectionSpecification);
}
