namespace Sluice.Orchestration.Dags;

/// <summary>One task of a DAG with the DAG settings an attempt of it needs (name, time zone, default params).</summary>
public sealed record DagTask(string DagName, TimeZoneInfo TimeZone, IReadOnlyDictionary<string, string> Params, TaskDefinition Task)
{
    public static DagTask Of(DagDefinition dag, string taskId) => new(dag.Name, dag.TimeZone, dag.Params, dag.Task(taskId));
}
