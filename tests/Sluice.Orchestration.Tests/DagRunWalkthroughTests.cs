using Microsoft.Extensions.Time.Testing;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Tasks;
using Sluice.Orchestration.Tests.Execution;

namespace Sluice.Orchestration.Tests;

/// <summary>
/// The pieces together, as the phase 2 scheduler and worker will use them (minus the store): parse,
/// find the due run, walk the tasks with trigger rules, execute, retry.
/// </summary>
public sealed class DagRunWalkthroughTests
{
    private const string Yaml = """
        name: walkthrough
        schedule: "@daily"
        timezone: Europe/Berlin
        catchup: false
        tasks:
          - id: extract
            type: command
            command: sh
            args: ["-c", "echo extracting {{ ds }}"]
          - id: transform
            type: command
            command: sh
            args: ["-c", "exit 1"]
            retries: 1
            retry_delay: 1m
            depends_on: [extract]
          - id: load
            type: command
            command: "true"
            depends_on: [transform]
          - id: cleanup
            type: command
            command: "true"
            depends_on: [load]
            trigger_rule: all_done
        """;

    [Fact]
    public async Task A_run_walks_the_graph_with_trigger_rules_and_retries()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 3, 31, 10, 0, 0, TimeSpan.Zero));
        var dag = DagParser.Parse(Yaml);
        var schedule = Assert.IsAssignableFrom<Sluice.Orchestration.Scheduling.TimeSchedule>(dag.Schedule);
        var run = Assert.Single(schedule.DueRuns(null, dag.RunWindow(time.GetUtcNow().AddDays(-10)), time.GetUtcNow()));
        Assert.Equal(new DateTimeOffset(2024, 3, 30, 0, 0, 0, TimeSpan.FromHours(1)), run.LogicalDate);

        using var http = new HttpClient();
        var executors = TaskExecutors.CreateDefault(time, http);
        var states = dag.Tasks.ToDictionary(t => t.Id, _ => TaskState.None);
        var log = new ListLogSink();
        foreach (var id in dag.Graph.TopologicalOrder)
        {
            var decision = TriggerRuleEvaluator.Evaluate(dag.Task(id).TriggerRule, dag.Graph.Upstream(id).Select(u => states[u]));
            if (decision.Action != TriggerAction.Run)
            {
                states[id] = decision.TargetState!.Value;
                continue;
            }

            var task = dag.Task(id);
            for (var attempt = 1; ; attempt++)
            {
                var context = TaskContext.Create(dag, id, "scheduled__2024-03-30", run, attempt);
                var outcome = await executors.For(task).ExecuteAsync(context, log, CancellationToken.None);
                if (outcome.IsSuccess || !task.Retry.CanRetry(attempt))
                {
                    states[id] = outcome.IsSuccess ? TaskState.Success : TaskState.Failed;
                    break;
                }

                Assert.Equal(TimeSpan.FromMinutes(1), task.Retry.DelayBefore(attempt));
            }
        }

        Assert.Contains("extracting 2024-03-30", log.Texts(TaskLogStream.Stdout));
        Assert.Equal(
            [TaskState.Success, TaskState.Failed, TaskState.UpstreamFailed, TaskState.Success],
            dag.Tasks.Select(t => states[t.Id]));
    }
}
