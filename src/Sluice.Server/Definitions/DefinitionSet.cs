using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Model;

namespace Sluice.Server.Definitions;

public sealed record ActorDefinition(ActorKind Kind, string Name, string Connector, JsonObject Config, string Source)
{
    public string Section => Kind == ActorKind.Source ? "sources" : "destinations";
}

public sealed record ConnectionDefinition(string Name, string SourceName, string DestinationName, JsonObject Body, string Source);

/// <summary>The definitions gathered from one or more YAML documents, checked for shape and duplicate names.</summary>
internal sealed class DefinitionSet
{
    private static readonly HashSet<string> TopLevelKeys = ["sources", "destinations", "connections", "workspace", "version"];

    public List<ActorDefinition> Actors { get; } = [];
    public List<ConnectionDefinition> Connections { get; } = [];

    public void Add(IReadOnlyList<JsonNode?> documents, string source)
    {
        foreach (var document in documents)
        {
            if (document is null)
                continue;
            if (document is not JsonObject root)
                throw new DefinitionException($"{source}: a definition file holds a mapping with sources, destinations and connections");
            foreach (var key in root.Select(kv => kv.Key))
                if (!TopLevelKeys.Contains(key))
                    throw new DefinitionException($"{source}: unknown top-level key '{key}'; use sources, destinations or connections");
            foreach (var (entry, i) in Entries(root, "sources", source))
                Actors.Add(Actor(ActorKind.Source, entry, $"{source}: sources[{i}]", source));
            foreach (var (entry, i) in Entries(root, "destinations", source))
                Actors.Add(Actor(ActorKind.Destination, entry, $"{source}: destinations[{i}]", source));
            foreach (var (entry, i) in Entries(root, "connections", source))
            {
                var where = $"{source}: connections[{i}]";
                Connections.Add(new ConnectionDefinition(Required(entry, "name", where), Required(entry, "source", where), Required(entry, "destination", where), entry, source));
            }
        }
        Duplicates(Actors.Where(a => a.Kind == ActorKind.Source).Select(a => a.Name), "source");
        Duplicates(Actors.Where(a => a.Kind == ActorKind.Destination).Select(a => a.Name), "destination");
        Duplicates(Connections.Select(c => c.Name), "connection");
    }

    private static IEnumerable<(JsonObject Entry, int Index)> Entries(JsonObject root, string key, string source)
    {
        if (root[key] is null)
            yield break;
        if (root[key] is not JsonArray list)
            throw new DefinitionException($"{source}: '{key}' must be a list");
        for (var i = 0; i < list.Count; i++)
            yield return (list[i] as JsonObject ?? throw new DefinitionException($"{source}: {key}[{i}] must be a mapping"), i);
    }

    private static ActorDefinition Actor(ActorKind kind, JsonObject entry, string where, string source)
    {
        var name = Required(entry, "name", where);
        var connector = Required(entry, "connector", $"{where} ({name})");
        var config = entry["config"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new DefinitionException($"{where} ({name}).config must be a mapping"),
        };
        return new ActorDefinition(kind, name, connector, config, source);
    }

    internal static string Required(JsonObject entry, string key, string where)
    {
        if (entry[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim().Length > 0)
            return v.GetValue<string>().Trim();
        throw new DefinitionException($"{where}.{key} is required (a non-empty string)");
    }

    private static void Duplicates(IEnumerable<string> names, string kind)
    {
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DefinitionException($"{kind} '{duplicate.Key}' is defined more than once");
    }
}
