namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>Checks the task graph: unique ids, known dependencies, no cycles.</summary>
internal static class GraphValidator
{
    public static void Validate(IReadOnlyList<TaskDefinition> tasks, ErrorSink errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks.Where(t => !ids.Add(t.Id)))
        {
            errors.Add(task.Id, "id", $"duplicate task id '{task.Id}'");
        }

        foreach (var task in tasks)
        {
            foreach (var dependency in task.DependsOn.Where(d => !ids.Contains(d)))
            {
                var suggestion = Suggestions.Closest(dependency, ids);
                var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
                errors.Add(task.Id, "depends_on", $"unknown task '{dependency}'{hint}");
            }
        }

        if (FindCycle(tasks) is { } cycle)
        {
            errors.Add(cycle[0], "depends_on", $"dependency cycle: {string.Join(" -> ", cycle)}");
        }
    }

    /// <summary>
    /// A cycle in execution order (each task runs after the previous one), first and last the same,
    /// or null. Depth-first over downstream edges in definition order, so the answer is stable.
    /// </summary>
    internal static IReadOnlyList<string>? FindCycle(IReadOnlyList<TaskDefinition> tasks)
    {
        var downstream = tasks.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            foreach (var up in task.DependsOn.Where(downstream.ContainsKey))
            {
                if (!downstream[up].Contains(task.Id))
                {
                    downstream[up].Add(task.Id);
                }
            }
        }

        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: finished
        var path = new List<string>();
        foreach (var id in downstream.Keys)
        {
            if (!state.ContainsKey(id) && Visit(id, downstream, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static List<string>? Visit(string id, Dictionary<string, List<string>> downstream, Dictionary<string, bool> state, List<string> path)
    {
        state[id] = false;
        path.Add(id);
        foreach (var next in downstream[id])
        {
            if (!state.TryGetValue(next, out var finished))
            {
                if (Visit(next, downstream, state, path) is { } cycle)
                {
                    return cycle;
                }
            }
            else if (!finished)
            {
                return [.. path.Skip(path.IndexOf(next)), next];
            }
        }

        path.RemoveAt(path.Count - 1);
        state[id] = true;
        return null;
    }
}
