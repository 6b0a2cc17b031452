using System.Text.Json;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Scheduling;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Runtime;

/// <summary>Creates a run with one task instance per task of the DAG version it runs.</summary>
internal static class RunFactory
{
    public const string DefaultPool = RunFactoryDefaults.Pool;
    public const string DefaultQueue = RunFactoryDefaults.Queue;

    /// <summary>Null when the DAG already has a run for <paramref name="logicalDate"/>.</summary>
    public static Task<DagRunRecord?> CreateAsync(
        IMetadataStore store, DagDefinition dag, int version, DataInterval interval, DateTimeOffset logicalDate, string runType,
        IReadOnlyDictionary<string, string>? parameters, long? fencingToken, CancellationToken cancellationToken)
    {
        // Queued first: the scheduler starts it when the DAG is under max_active_runs.
        var run = new DagRunRecord
        {
            Dag = dag.Name, LogicalDate = logicalDate, IntervalStart = interval.Start, IntervalEnd = interval.End, State = RunStates.Queued,
            RunType = runType, Params = JsonSerializer.Serialize(parameters ?? new Dictionary<string, string>()), Version = version,
        };
        var tasks = dag.Tasks.Select(t => new NewTaskInstance(t.Id, TaskState.None.ToName(), t.Pool ?? DefaultPool, t.PriorityWeight, t.Queue ?? DefaultQueue)).ToList();
        return store.Runs.CreateRunAsync(run, tasks, fencingToken, cancellationToken);
    }

    public static Dictionary<string, string> Params(DagRunRecord run) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(run.Params) ?? [];

    public static TaskState State(TaskInstanceRecord task) =>
        TaskStates.TryParse(task.State, out var state) ? state : throw new InvalidOperationException($"task instance {task.Id} has an unknown state '{task.State}'");
}
