using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// A stored DAG version as a worker reads it: the DAG's settings are parsed at once, its tasks only found by id and
/// each parsed when asked for. A worker runs a few tasks of a version, and mapping and validating all of a wide DAG
/// (20,000 tasks: about 0.2 s of a worker's first second) bought it nothing: the version was validated whole when it
/// was applied, and a stored version never changes.
/// </summary>
public sealed class StoredDag
{
    private readonly DagDefinition _settings;
    private readonly Dictionary<string, (YamlNode Node, int Index)> _tasks;
    private readonly DagParseOptions _options;

    internal StoredDag(DagDefinition settings, Dictionary<string, (YamlNode Node, int Index)> tasks, DagParseOptions options)
    {
        _settings = settings;
        _tasks = tasks;
        _options = options;
    }

    public string Name => _settings.Name;

    /// <summary>The task <paramref name="id"/>, parsed now (each call parses again: nothing of a wide DAG is kept twice).</summary>
    public DagTask Task(string id)
    {
        if (!_tasks.TryGetValue(id, out var found))
            throw new KeyNotFoundException($"dag '{Name}' has no task '{id}'");
        var errors = new ErrorSink(_options.SourceName) { Dag = Name };
        var task = new TaskParser(errors, _options).Parse(found.Node, found.Index);
        if (task is null || errors.HasErrors)
            throw new DagDefinitionException(errors.Errors);
        return new DagTask(Name, _settings.TimeZone, _settings.Params, task);
    }
}
