using Sluice.Orchestration.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// Parses and validates DAG definitions written in YAML. All problems of a document are collected and
/// thrown together as a <see cref="DagDefinitionException"/>, each naming the DAG, task and field.
/// </summary>
public static class DagParser
{
    /// <summary>Parses a document holding exactly one DAG.</summary>
    public static DagDefinition Parse(string yaml, DagParseOptions? options = null)
    {
        var dags = ParseAll(yaml, options);
        return dags.Count == 1
            ? dags[0]
            : throw new DagDefinitionException([new DagError(options?.SourceName, null, null, null, $"expected one DAG, found {dags.Count}")]);
    }

    /// <summary>Parses every YAML document (separated by <c>---</c>) as a DAG.</summary>
    public static IReadOnlyList<DagDefinition> ParseAll(string yaml, DagParseOptions? options = null)
    {
        options ??= DagParseOptions.Default;
        var stream = Load(yaml, options);
        var dags = new List<DagDefinition>();
        var errors = new List<DagError>();
        foreach (var document in stream.Documents)
        {
            var sink = new ErrorSink(options.SourceName);
            var dag = ParseDocument(document.RootNode, sink, options);
            errors.AddRange(sink.Errors);
            if (dag is not null && !sink.HasErrors)
            {
                dags.Add(dag);
            }
        }

        return errors.Count > 0 ? throw new DagDefinitionException(errors) : dags;
    }

    /// <summary>
    /// A stored (validated) version holding one DAG, for a worker: its settings now, each task when asked for
    /// (<see cref="StoredDag"/>). <paramref name="name"/> is the stored name, which wins over the document's.
    /// </summary>
    public static StoredDag ParseStored(string yaml, string name, DagParseOptions? options = null)
    {
        options ??= DagParseOptions.Default;
        var documents = Load(yaml, options).Documents;
        if (documents.Count != 1)
            throw new DagDefinitionException([new DagError(options.SourceName, null, null, null, $"expected one DAG, found {documents.Count}")]);
        var root = documents[0].RootNode;
        var errors = new ErrorSink(options.SourceName);
        var settings = ParseDocument(root, errors, options, withTasks: false);
        if (settings is null || errors.HasErrors)
            throw new DagDefinitionException(errors.Errors);
        var tasks = new Dictionary<string, (YamlNode, int)>(StringComparer.Ordinal);
        if (ValueOf((YamlMappingNode)root, "tasks") is YamlSequenceNode sequence)
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is YamlMappingNode task && ValueOf(task, "id") is YamlScalarNode { Value: { } id })
                    tasks.TryAdd(id, (task, i));
            }
        }

        return new StoredDag(settings with { Name = name }, tasks, options);
    }

    /// <summary>Reads and parses a file; relative sql files resolve against its directory.</summary>
    public static async Task<IReadOnlyList<DagDefinition>> ParseFileAsync(string path, DagParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        options = (options ?? DagParseOptions.Default) with
        {
            SourceName = options?.SourceName ?? path,
            BaseDirectory = options?.BaseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path)),
        };
        return ParseAll(text, options);
    }

    private static YamlNode? ValueOf(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: { } k } && k == key).Value;

    private static YamlStream Load(string yaml, DagParseOptions options)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
            return stream;
        }
        catch (YamlException ex)
        {
            // YamlDotNet wraps some errors; the innermost one carries the real position and reason.
            var inner = ex;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            throw new DagDefinitionException([new DagError(options.SourceName, null, null, null,
                $"YAML syntax error: {inner.Message}", inner.Start.Line, inner.Start.Column)]);
        }
    }

    // withTasks false: the settings only (StoredDag finds and parses the tasks one at a time).
    private static DagDefinition? ParseDocument(YamlNode root, ErrorSink errors, DagParseOptions options, bool withTasks = true)
    {
        if (root is not YamlMappingNode mapping)
        {
            errors.Add(null, null, $"a DAG definition must be a mapping (name, schedule, tasks, ...), not a {YamlMap.Describe(root)}", root);
            return null;
        }

        var map = new YamlMap(mapping, errors, null);
        var name = map.String("name", required: true);
        errors.Dag = name;
        if (name is not null && !Names.IsValid(name))
        {
            map.Error("name", $"'{name}' is not a valid DAG name; {Names.Rule}");
        }

        if (map.String("kind") is { } kind && !kind.Equals("dag", StringComparison.OrdinalIgnoreCase))
        {
            map.Error("kind", $"expected kind 'dag', got '{kind}'");
        }

        var timeZone = ParseTimeZone(map, options.DefaultTimeZone);
        var startDate = LocalTimes.Read(map, "start_date", timeZone);
        var endDate = LocalTimes.Read(map, "end_date", timeZone);
        if (startDate > endDate)
        {
            map.Error("end_date", "must not be before start_date");
        }

        var schedule = new ScheduleParser(errors, options, timeZone, startDate).Parse(map);
        var dag = new DagDefinition
        {
            Name = name ?? "",
            Description = map.String("description"),
            Schedule = schedule,
            TimeZone = timeZone,
            Catchup = map.Bool("catchup") ?? false,
            StartDate = startDate,
            EndDate = endDate,
            MaxActiveRuns = map.Int("max_active_runs", min: 1) ?? 16,
            MaxActiveTasks = map.Int("max_active_tasks", min: 1) ?? 16,
            Params = map.StringMap("params"),
            Tags = map.StringList("tags"),
            Paused = map.Bool("paused") ?? false,
            Tasks = withTasks ? ParseTasks(map, errors, options) : SkipTasks(map),
        };
        map.ReportUnknownKeys();
        return dag;
    }

    // Marks the key as known, so that it is not reported as unknown.
    private static List<TaskDefinition> SkipTasks(YamlMap map)
    {
        _ = map.Raw("tasks");
        return [];
    }

    private static List<TaskDefinition> ParseTasks(YamlMap map, ErrorSink errors, DagParseOptions options)
    {
        var tasks = new List<TaskDefinition>();
        var node = map.Raw("tasks");
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            map.Error("tasks", node is null ? "is required: a list of at least one task" : "must be a non-empty list of tasks");
            return tasks;
        }

        var parser = new TaskParser(errors, options);
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (parser.Parse(list.Children[i], i) is { } task)
            {
                tasks.Add(task);
            }
        }

        GraphValidator.Validate(tasks, errors);
        return tasks;
    }

    private static TimeZoneInfo ParseTimeZone(YamlMap map, TimeZoneInfo fallback)
    {
        if (map.String("timezone") is not { } id)
        {
            return fallback;
        }

        try
        {
            return ScheduleText.TimeZone(id);
        }
        catch (FormatException ex)
        {
            map.Error("timezone", ex.Message);
            return fallback;
        }
    }
}
