using System.Text.Json.Nodes;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Metadata;

namespace Sluice.Engine.Jobs;

/// <summary>Loads a connection with its source and destination, and turns stored configs into the configs connectors get.</summary>
public sealed class ConnectionResolver(IMetadataStore store, ConnectorRegistry registry, Func<Actor, JsonObject>? revealSecrets = null)
{
    public async Task<ResolvedConnection> ResolveAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await store.Connections.GetAsync(connectionId, cancellationToken)
            ?? throw new NotFoundException("connection", connectionId.ToString());
        var source = await store.Actors.GetAsync(connection.SourceId, cancellationToken)
            ?? throw new NotFoundException("source", connection.SourceId.ToString());
        var destination = await store.Actors.GetAsync(connection.DestinationId, cancellationToken)
            ?? throw new NotFoundException("destination", connection.DestinationId.ToString());
        return new ResolvedConnection(connection, source, destination,
            registry.Source(source.Connector), ConfigOf(source), registry.Destination(destination.Connector), ConfigOf(destination));
    }

    /// <summary>The connector's view of an actor's config: secrets decrypted, <c>${env:..}</c>/<c>${file:..}</c> resolved.</summary>
    public JsonObject ConfigOf(Actor actor) => ConfigReferences.Resolve(revealSecrets?.Invoke(actor) ?? actor.Config);
}

public sealed record ResolvedConnection(Connection Connection, Actor SourceActor, Actor DestinationActor,
    ISource Source, JsonObject SourceConfig, IDestination Destination, JsonObject DestinationConfig);
