using System.Text.Json.Nodes;

namespace Sluice.Core.Connectors;

/// <summary>
/// A connector whose full spec depends on its config: the <c>airbyte</c> wrapper only learns its external
/// connector's fields (and which are secrets) by running that connector's <c>spec</c>. Hosts validate, encrypt and
/// mask such a connector's configs with <see cref="SpecAsync"/> rather than <see cref="IConnector.Spec"/>.
/// </summary>
public interface IConfigDependentSpec
{
    ValueTask<ConnectorSpec> SpecAsync(JsonObject config, CancellationToken cancellationToken);
}

/// <summary>The spec that governs one config of a connector.</summary>
public static class ConnectorSpecs
{
    /// <summary>
    /// <see cref="IConfigDependentSpec.SpecAsync"/> when the connector has one and the config passes the static spec
    /// (so it can say how to start the external connector), otherwise <see cref="IConnector.Spec"/>: a config that
    /// fails the static spec gets those errors first.
    /// </summary>
    public static async ValueTask<ConnectorSpec> ForConfigAsync(IConnector connector, JsonObject config, CancellationToken cancellationToken)
    {
        var spec = connector.Spec();
        if (connector is not IConfigDependentSpec dependent || Config.ConfigValidator.Errors(spec, config, connector.Name).Count > 0)
            return spec;
        try
        {
            return await dependent.SpecAsync(config, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ConfigException))
        {
            throw new ConfigException("command", $"running the connector's spec failed: {ex.Message}", "check command or image, args and env");
        }
    }
}
