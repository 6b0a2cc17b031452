namespace Sluice.Core.Connectors;

/// <summary>The connectors a host knows, by name. A connector class may serve as source, destination or both.</summary>
public sealed class ConnectorRegistry
{
    private readonly Dictionary<string, IConnector> _connectors;

    public ConnectorRegistry(IEnumerable<IConnector> connectors) =>
        _connectors = connectors.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IConnector> All => _connectors.Values;

    public IConnector Get(string name) =>
        _connectors.TryGetValue(name, out var connector)
            ? connector
            : throw new ConfigException("connector", $"unknown connector '{name}'", $"use one of: {string.Join(", ", _connectors.Keys.Order())}");

    public ISource Source(string name) => Get(name) as ISource
        ?? throw new ConfigException("connector", $"connector '{name}' cannot be a source", $"sources: {string.Join(", ", _connectors.Values.OfType<ISource>().Select(c => c.Name).Order())}");

    public IDestination Destination(string name) => Get(name) as IDestination
        ?? throw new ConfigException("connector", $"connector '{name}' cannot be a destination", $"destinations: {string.Join(", ", _connectors.Values.OfType<IDestination>().Select(c => c.Name).Order())}");

    public bool Contains(string name) => _connectors.ContainsKey(name);
}
