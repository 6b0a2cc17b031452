using Sluice.Connectors.Sample;
using Sluice.Core.Connectors;

namespace Sluice.Server.Hosting;

/// <summary>The connectors that ship with Sluice, and the fast paths between them.</summary>
public static class BuiltInConnectors
{
    public static ConnectorRegistry Registry() => new(
    [
        new SampleSource(),
    ]);

    public static IReadOnlyList<IDirectTransfer> DirectTransfers() => [];
}
