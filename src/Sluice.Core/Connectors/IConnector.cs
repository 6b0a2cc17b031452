using System.Text.Json.Nodes;

namespace Sluice.Core.Connectors;

/// <summary>What every connector offers: its config spec and a connection check.</summary>
public interface IConnector
{
    /// <summary>Stable name used in definitions and the CLI: <c>postgres</c>, <c>sample</c>, <c>file</c>.</summary>
    string Name { get; }

    ConnectorSpec Spec();

    /// <summary>Tries the config against the real system; failures are returned, not thrown.</summary>
    ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken);
}
