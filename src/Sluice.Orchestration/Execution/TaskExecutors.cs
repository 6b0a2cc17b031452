using Sluice.Orchestration.Dags;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Maps task types to executors. The worker resolves one per task attempt; phase 2 registers the sync and
/// sql executors, which need stored connectors.
/// </summary>
public sealed class TaskExecutors
{
    private readonly Dictionary<string, ITaskExecutor> _byType = new(StringComparer.Ordinal);

    /// <summary>The executors that need nothing but the machine: command, http and noop.</summary>
    public static TaskExecutors CreateDefault(TimeProvider time, HttpClient httpClient) => new TaskExecutors()
        .Register("command", new CommandTaskExecutor(time))
        .Register("http", new HttpTaskExecutor(httpClient, time))
        .Register("noop", new NoopTaskExecutor());

    public TaskExecutors Register(string type, ITaskExecutor executor)
    {
        _byType[type] = executor;
        return this;
    }

    public bool CanExecute(string type) => _byType.ContainsKey(type);

    public ITaskExecutor For(TaskDefinition task) =>
        _byType.TryGetValue(task.Type, out var executor)
            ? executor
            : throw new NotSupportedException($"no executor registered for task type '{task.Type}' (task '{task.Id}')");
}
