using Sluice.Core.Catalog;
using Sluice.Core.Model;

namespace Sluice.Engine.Jobs;

/// <summary>The connection's prefix and namespace, applied to every stream that does not set its own.</summary>
internal static class ConnectionNaming
{
    public static ConfiguredCatalog Apply(Connection connection, ConfiguredCatalog catalog) =>
        new(catalog.Streams.Select(s => Apply(connection, s)).ToList());

    public static ConfiguredStream Apply(Connection connection, ConfiguredStream stream) => stream with
    {
        DestinationName = stream.DestinationName ?? (connection.Prefix is null ? null : connection.Prefix + stream.Stream.Name),
        DestinationNamespace = stream.DestinationNamespace ?? connection.DestinationNamespace,
    };
}
