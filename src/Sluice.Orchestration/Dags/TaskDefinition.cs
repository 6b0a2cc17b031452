using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Dags;

/// <summary>One task of a DAG: what to run (the derived type) and the settings every task type shares.</summary>
public abstract record TaskDefinition
{
    public required string Id { get; init; }

    /// <summary>The type name as written in YAML: sync, sql, command, http, noop.</summary>
    public abstract string Type { get; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public TriggerRule TriggerRule { get; init; } = TriggerRule.AllSuccess;

    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Longest one attempt may run before it is killed and counted as failed; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The pool whose slots limit how many such tasks run at once; null for the default pool.</summary>
    public string? Pool { get; init; }

    /// <summary>Only workers serving this queue run the task (e.g. a worker next to a database); null for "default".</summary>
    public string? Queue { get; init; }

    /// <summary>Higher runs first when tasks compete for slots.</summary>
    public int PriorityWeight { get; init; } = 1;
}

/// <summary>Runs a connection's sync.</summary>
public sealed record SyncTaskDefinition : TaskDefinition
{
    public override string Type => "sync";

    public required string Connection { get; init; }
}

/// <summary>Runs an external program (no shell: use <c>command: sh</c> with <c>args: [-c, ...]</c> for one).</summary>
public sealed record CommandTaskDefinition : TaskDefinition
{
    public override string Type => "command";

    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Added to (and overriding) the worker's environment.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public string? WorkingDir { get; init; }
}

/// <summary>Calls an HTTP endpoint and checks the status code.</summary>
public sealed record HttpTaskDefinition : TaskDefinition
{
    public override string Type => "http";

    public string Method { get; init; } = "GET";

    public required string Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    /// <summary>Status codes that count as success; empty means any 2xx.</summary>
    public IReadOnlyList<int> ExpectedStatus { get; init; } = [];

    public bool IsExpected(int status) => ExpectedStatus.Count == 0 ? status is >= 200 and < 300 : ExpectedStatus.Contains(status);
}

/// <summary>
/// Does nothing and succeeds (Airflow's EmptyOperator): a join or fan-out point that gives a DAG its shape, or a
/// marker other DAGs and trigger rules can wait on. It still goes through the queue and a worker like any task.
/// </summary>
public sealed record NoopTaskDefinition : TaskDefinition
{
    public override string Type => "noop";
}
