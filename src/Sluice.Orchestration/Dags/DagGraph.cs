namespace Sluice.Orchestration.Dags;

/// <summary>The dependency graph of a validated (acyclic, fully resolved) DAG.</summary>
public sealed class DagGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _upstream;
    private readonly Dictionary<string, List<string>> _downstream;
    private readonly Dictionary<string, TaskDefinition> _byId;

    internal DagGraph(IReadOnlyList<TaskDefinition> tasks)
    {
        _upstream = tasks.ToDictionary(t => t.Id, t => t.DependsOn, StringComparer.Ordinal);
        _downstream = tasks.ToDictionary(t => t.Id, _ => new List<string>(), StringComparer.Ordinal);
        _byId = tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            foreach (var up in task.DependsOn)
            {
                _downstream[up].Add(task.Id);
            }
        }

        TopologicalOrder = Sort(tasks);
    }

    /// <summary>Every task after all of its upstream tasks; ties keep definition order.</summary>
    public IReadOnlyList<string> TopologicalOrder { get; }

    public TaskDefinition? Find(string taskId) => _byId.GetValueOrDefault(taskId);

    public IReadOnlyList<string> Upstream(string taskId) => _upstream[taskId];

    public IReadOnlyList<string> Downstream(string taskId) => _downstream[taskId];

    /// <summary>Tasks without upstream tasks: the ones a new run starts with.</summary>
    public IEnumerable<string> Roots => TopologicalOrder.Where(id => _upstream[id].Count == 0);

    // Kahn's algorithm; the parser has already rejected cycles.
    private List<string> Sort(IReadOnlyList<TaskDefinition> tasks)
    {
        var remaining = tasks.ToDictionary(t => t.Id, t => t.DependsOn.Distinct().Count(), StringComparer.Ordinal);
        var order = new List<string>(tasks.Count);
        var ready = new Queue<string>(tasks.Where(t => remaining[t.Id] == 0).Select(t => t.Id));
        while (ready.TryDequeue(out var id))
        {
            order.Add(id);
            foreach (var down in _downstream[id].Distinct())
            {
                if (--remaining[down] == 0)
                {
                    ready.Enqueue(down);
                }
            }
        }

        return order;
    }
}
