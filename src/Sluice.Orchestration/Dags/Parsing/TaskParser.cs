using Sluice.Orchestration.Tasks;
using Sluice.Orchestration.Templating;
using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>Reads one entry of a DAG's <c>tasks:</c> list: the shared settings, then the type's own fields.</summary>
internal sealed class TaskParser(ErrorSink errors, DagParseOptions options)
{
    public static IReadOnlyList<string> Types { get; } = ["sync", "sql", "command", "http", "noop"];

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    public TaskDefinition? Parse(YamlNode node, int index)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(null, $"tasks[{index}]", $"each task must be a mapping with at least id and type, not a {YamlMap.Describe(node)}", node);
            return null;
        }

        var id = new YamlMap(mapping, errors, null).String("id");
        var label = id ?? $"#{index + 1}";
        var map = new YamlMap(mapping, errors, label);
        map.String("id", required: true);
        if (id is not null && !Names.IsValid(id))
        {
            map.Error("id", $"'{id}' is not a valid task id; {Names.Rule}");
        }

        var type = map.String("type", required: true);
        var task = type switch
        {
            null => null,
            "sync" => ParseSync(map),
            "sql" => ParseSql(map),
            "command" => ParseCommand(map),
            "http" => ParseHttp(map),
            "noop" => new NoopTaskDefinition { Id = "" },
            _ => UnknownType(map, type),
        };

        var common = ParseCommon(map);
        if (common.Pool is { } pool && options.PoolExists is { } poolExists && !poolExists(pool))
        {
            map.Error("pool", $"unknown pool '{pool}'; create it first with 'sluice pools set {pool} --slots N' (or PUT /api/v1/pools/{pool}), or leave pool out for the default pool");
        }

        map.ReportUnknownKeys();
        return task is null || id is null ? null : task with
        {
            Id = id,
            DependsOn = common.DependsOn,
            TriggerRule = common.TriggerRule,
            Retry = common.Retry,
            Timeout = common.Timeout,
            Pool = common.Pool,
            Queue = common.Queue,
            PriorityWeight = common.PriorityWeight,
        };
    }

    private sealed record Common(IReadOnlyList<string> DependsOn, TriggerRule TriggerRule, RetryPolicy Retry, TimeSpan? Timeout, string? Pool, int PriorityWeight, string? Queue);

    private static Common ParseCommon(YamlMap map)
    {
        var rule = TriggerRule.AllSuccess;
        if (map.String("trigger_rule") is { } ruleName && !TriggerRules.TryParse(ruleName, out rule))
        {
            map.Error("trigger_rule", $"unknown trigger rule '{ruleName}'; allowed: {string.Join(", ", TriggerRules.Names)}");
        }

        var retry = new RetryPolicy(
            map.Int("retries", min: 0) ?? 0,
            map.Duration("retry_delay") ?? RetryPolicy.DefaultDelay,
            map.Bool("retry_exponential_backoff") ?? false,
            map.Duration("max_retry_delay"));
        var timeout = map.Duration("timeout");
        if (timeout == TimeSpan.Zero)
        {
            map.Error("timeout", "must be longer than zero; leave it out for no timeout");
        }
        else if (timeout > MaxTimeout)
        {
            // Timers cannot wait longer than ~49 days; a task running for weeks needs no timeout.
            map.Error("timeout", $"must be at most {Durations.Format(MaxTimeout)}; leave it out for no timeout");
        }

        var queue = map.String("queue");
        if (queue is not null && !Names.IsValid(queue))
        {
            map.Error("queue", $"'{queue}' is not a valid queue name; {Names.Rule}");
        }

        return new Common(
            map.StringList("depends_on").Distinct(StringComparer.Ordinal).ToList(),
            rule,
            retry,
            timeout,
            map.String("pool"),
            map.Int("priority_weight") ?? 1,
            queue);
    }

    private SyncTaskDefinition? ParseSync(YamlMap map)
    {
        var connection = map.String("connection", required: true);
        CheckReference(map, "connection", connection, options.ConnectionExists, "connection");
        return connection is null ? null : new SyncTaskDefinition { Id = "", Connection = connection };
    }

    private SqlTaskDefinition? ParseSql(YamlMap map)
    {
        var targets = new (string Key, SqlTargetKind Kind, Func<string, bool>? Exists)[]
        {
            ("connection", SqlTargetKind.Connection, options.ConnectionExists),
            ("destination", SqlTargetKind.Destination, options.DestinationExists),
            ("source", SqlTargetKind.Source, options.SourceExists),
        };
        var given = targets.Select(t => (t.Key, t.Kind, t.Exists, Name: map.String(t.Key))).Where(t => t.Name is not null).ToList();
        if (given.Count != 1)
        {
            map.Error("connection", given.Count == 0
                ? "a sql task needs exactly one of connection, destination or source"
                : $"give only one of {string.Join(", ", given.Select(g => g.Key))}");
        }

        foreach (var g in given)
        {
            CheckReference(map, g.Key, g.Name, g.Exists, g.Key);
        }

        var sql = map.String("sql");
        var file = map.String("file");
        if ((sql is null) == (file is null))
        {
            map.Error("sql", sql is null ? "a sql task needs sql (inline text) or file" : "give sql or file, not both");
        }

        if (file is not null && options.BaseDirectory is not null)
        {
            file = Path.GetFullPath(file, options.BaseDirectory);
            if (!System.IO.File.Exists(file))
            {
                map.Error("file", $"file '{file}' does not exist");
            }
        }

        CheckTemplate(map, "sql", sql);
        var transaction = map.Bool("transaction") ?? true;
        return given.Count != 1 ? null : new SqlTaskDefinition
        {
            Id = "", TargetKind = given[0].Kind, Target = given[0].Name!, Sql = sql, File = file, Transaction = transaction,
        };
    }

    private CommandTaskDefinition? ParseCommand(YamlMap map)
    {
        var command = map.String("command", required: true);
        var args = map.StringList("args");
        var env = map.StringMap("env");
        var workingDir = map.String("working_dir");
        CheckTemplate(map, "command", command);
        for (var i = 0; i < args.Count; i++)
        {
            CheckTemplate(map, "args", args[i], $"args[{i}]");
        }

        foreach (var (name, value) in env)
        {
            CheckTemplate(map, "env", value, $"env.{name}");
        }

        CheckTemplate(map, "working_dir", workingDir);
        return command is null ? null : new CommandTaskDefinition { Id = "", Command = command, Args = args, Env = env, WorkingDir = workingDir };
    }

    private HttpTaskDefinition? ParseHttp(YamlMap map)
    {
        var method = (map.String("method") ?? "GET").ToUpperInvariant();
        var url = map.String("url", required: true);
        var headers = map.StringMap("headers");
        var body = map.String("body");
        var expected = new List<int>();
        foreach (var text in map.StringList("expected_status"))
        {
            if (int.TryParse(text, out var code) && code is >= 100 and <= 599)
            {
                expected.Add(code);
            }
            else
            {
                map.Error("expected_status", $"'{text}' is not an HTTP status code (100-599)");
            }
        }

        CheckTemplate(map, "url", url);
        CheckTemplate(map, "body", body);
        foreach (var (name, value) in headers)
        {
            CheckTemplate(map, "headers", value, $"headers.{name}");
        }

        if (url is not null && !url.Contains("{{", StringComparison.Ordinal)
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            map.Error("url", $"'{url}' is not an absolute http or https URL");
        }

        return url is null ? null : new HttpTaskDefinition { Id = "", Method = method, Url = url, Headers = headers, Body = body, ExpectedStatus = expected };
    }

    private static TaskDefinition? UnknownType(YamlMap map, string type)
    {
        map.Error("type", $"unknown task type '{type}'; allowed: {string.Join(", ", Types)}");
        return null;
    }

    private static void CheckReference(YamlMap map, string key, string? name, Func<string, bool>? exists, string what)
    {
        if (name is not null && exists is not null && !exists(name))
        {
            map.Error(key, $"unknown {what} '{name}'");
        }
    }

    private static void CheckTemplate(YamlMap map, string key, string? text, string? field = null)
    {
        if (text is null)
        {
            return;
        }

        try
        {
            TemplateRenderer.Validate(text, TemplateVariables.Names);
        }
        catch (TemplateException ex)
        {
            map.Error(key, field is null ? ex.Message : $"{field}: {ex.Message}");
        }
    }
}
