using System.Text.Json.Nodes;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Metadata;

namespace Sluice.Server.Definitions;

/// <summary>
/// Applies YAML definitions of sources, destinations and connections: creates what is new, updates what changed,
/// leaves the rest, and reports a diff. Applying the same files twice changes nothing.
/// </summary>
public sealed partial class DefinitionApplier(IMetadataStore store, ConnectorRegistry registry, TimeProvider time, Sluice.Engine.Jobs.ConnectionResolver? resolver = null)
{
    public async Task<IReadOnlyList<ApplyChange>> ApplyPathAsync(string path, CancellationToken cancellationToken)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)).Order().ToList()
            : File.Exists(path) ? [path] : throw new DefinitionException($"{path}: no such file or directory");
        var set = new DefinitionSet();
        foreach (var file in files)
            set.Add(YamlJson.Parse(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file)), Path.GetFileName(file));
        return await ApplyAsync(set, cancellationToken);
    }

    public Task<IReadOnlyList<ApplyChange>> ApplyYamlAsync(string yaml, string sourceName, CancellationToken cancellationToken)
    {
        var set = new DefinitionSet();
        set.Add(YamlJson.Parse(yaml, sourceName), sourceName);
        return ApplyAsync(set, cancellationToken);
    }

    private async Task<IReadOnlyList<ApplyChange>> ApplyAsync(DefinitionSet set, CancellationToken cancellationToken)
    {
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
        // Validate everything before changing anything, so a bad file applies nothing.
        var actors = set.Actors.Select(a => ValidateActor(a, workspace)).ToList();
        var changes = new List<ApplyChange>();
        foreach (var actor in actors)
            changes.Add(await ApplyActorAsync(actor, cancellationToken));
        foreach (var connection in set.Connections)
            changes.Add(await ApplyConnectionAsync(connection, workspace, cancellationToken));
        return changes;
    }

    private Actor ValidateActor(ActorDefinition definition, Workspace workspace)
    {
        var where = $"{definition.Source}: {definition.Section}.{definition.Name}";
        IConnector connector;
        try
        {
            connector = definition.Kind == ActorKind.Source ? registry.Source(definition.Connector) : registry.Destination(definition.Connector);
        }
        catch (ConfigException e)
        {
            throw new DefinitionException($"{where}.connector: {e.Problem}; {e.Fix}");
        }
        var spec = connector.Spec();
        foreach (var secret in spec.SecretPaths())
        {
            if (ValueAt(definition.Config, secret) is JsonValue v && v.TryGetValue<string>(out var text) && !ConfigReferences.HasReference(text))
                throw new DefinitionException($"{where}.config.{secret}: a secret must not be written in a definition file; use a reference such as ${{env:{definition.Name.ToUpperInvariant().Replace('-', '_')}_{secret.Replace('.', '_').ToUpperInvariant()}}} or ${{file:/path/to/secret}}");
        }
        JsonObject resolved;
        try
        {
            resolved = ConfigReferences.Resolve(definition.Config);
        }
        catch (ConfigException e)
        {
            throw new DefinitionException($"{where}.config.{e.Message}");
        }
        var errors = ConfigValidator.Errors(spec, resolved, connector.Name);
        if (errors.Count > 0)
            throw new DefinitionException(string.Join("\n", errors.Select(e => $"{where}.config.{e.Message}")));
        var now = time.GetUtcNow();
        return new Actor
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspace.Id,
            Kind = definition.Kind,
            Name = definition.Name,
            Connector = connector.Name,
            Config = definition.Config,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private async Task<ApplyChange> ApplyActorAsync(Actor actor, CancellationToken cancellationToken)
    {
        var kind = actor.Kind == ActorKind.Source ? "source" : "destination";
        var existing = await store.Actors.FindByNameAsync(actor.WorkspaceId, actor.Kind, actor.Name, cancellationToken);
        if (existing is null)
        {
            await store.Actors.CreateAsync(actor, cancellationToken);
            return new ApplyChange(kind, actor.Name, ApplyAction.Created, []);
        }
        var spec = registry.Get(actor.Connector).Spec();
        var diff = JsonDiff.Compare(SecretMasker.Apply(existing.Config, spec), SecretMasker.Apply(actor.Config, spec), "config");
        if (existing.Connector != actor.Connector)
            diff = [$"connector: {existing.Connector} -> {actor.Connector}", .. diff];
        if (diff.Count == 0 && JsonNode.DeepEquals(existing.Config, actor.Config))
            return new ApplyChange(kind, actor.Name, ApplyAction.Unchanged, []);
        await store.Actors.UpdateAsync(existing with { Connector = actor.Connector, Config = actor.Config, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        return new ApplyChange(kind, actor.Name, ApplyAction.Updated, diff.Count > 0 ? diff : ["config: secret reference changed"]);
    }

    private static JsonNode? ValueAt(JsonObject config, string path)
    {
        JsonNode? node = config;
        foreach (var segment in path.Split('.'))
            node = node is JsonObject o ? o[segment] : null;
        return node;
    }
}
