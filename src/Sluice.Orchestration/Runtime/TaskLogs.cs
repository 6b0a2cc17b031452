using Sluice.Metadata;

namespace Sluice.Orchestration.Runtime;

/// <summary>Prints the logs of a run's tasks (or one task), and with follow keeps printing until the run ends.</summary>
public static class TaskLogs
{
    public static async Task StreamAsync(
        IMetadataStore store, long runId, string? taskId, bool follow, TimeProvider time, Func<string, Task> write, Func<Task> flush, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<(long, int), int>();
        while (true)
        {
            var run = await store.Runs.GetRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var tasks = (await store.Runs.ListTasksAsync([runId], cancellationToken)).Where(t => taskId is null || t.TaskId == taskId).ToList();
            if (taskId is not null && tasks.Count == 0)
                throw new NotFoundException("task", $"{taskId} in run {runId}");
            foreach (var task in tasks.OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id))
            {
                foreach (var (attempt, text) in await store.Runs.ReadLogsAsync(task.Id, cancellationToken))
                {
                    var offset = sent.GetValueOrDefault((task.Id, attempt));
                    if (offset == 0 && text.Length > 0)
                        await write($"--- {task.TaskId}, attempt {attempt} ---\n");
                    if (text.Length > offset)
                    {
                        await write(text[offset..]);
                        sent[(task.Id, attempt)] = text.Length;
                    }
                }
            }

            await flush();
            if (!follow || RunStates.IsFinished(run.State))
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }
    }
}
