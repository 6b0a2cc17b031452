using System.CommandLine;
using System.Globalization;
using Sluice.Metadata;
using Sluice.Orchestration.Runtime;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice runs list|show|logs</c>: DAG runs and their task instances (connection sync jobs are <c>sluice jobs</c>).</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "List DAG runs, show one with its tasks, read its logs");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Logs());
        command.Subcommands.Add(Clear());
        command.Subcommands.Add(Mark());
        return command;
    }

    private static Command Clear()
    {
        var id = new Argument<long>("run") { Description = "Run id" };
        var task = new Argument<string>("task") { Description = "Task id" };
        var downstream = new Option<bool>("--downstream") { Description = "Also clear every task after it" };
        var command = new Command("clear", "Clear a finished task so it runs again (with a new attempt number)") { id, task, downstream };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var cleared = await DagCli.Operations(local).ClearAsync(result.GetValue(id), result.GetValue(task)!, result.GetValue(downstream), ct);
            AnsiConsole.MarkupLine(cleared.Count == 0 ? "nothing to clear (tasks still running or waiting are left alone)" : $"cleared {Markup.Escape(string.Join(", ", cleared))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Mark()
    {
        var id = new Argument<long>("run") { Description = "Run id" };
        var task = new Option<string?>("--task", "-t") { Description = "Mark this task instead of the whole run" };
        var state = new Option<string>("--state", "-s") { Description = "success or failed", Required = true };
        var command = new Command("mark", "Set a run's or a task's state by hand (success or failed)") { id, task, state };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var ops = DagCli.Operations(local);
            var target = result.GetValue(state)!;
            if (result.GetValue(task) is { } taskId)
            {
                if (!Orchestration.Tasks.TaskStates.TryParse(target, out var taskState))
                    throw new FormatException($"unknown state '{target}'; use success or failed");
                await ops.MarkTaskAsync(result.GetValue(id), taskId, taskState, ct);
            }
            else
            {
                await ops.MarkRunAsync(result.GetValue(id), target, ct);
            }
            AnsiConsole.MarkupLine($"marked {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var dag = new Option<string?>("--dag", "-d") { Description = "Only this DAG" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List recent DAG runs") { dag, limit };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var table = new Table().Border(TableBorder.Rounded).AddColumns("run", "dag", "logical date", "type", "state", "version", "started", "ended");
            foreach (var run in await store.Runs.ListRunsAsync(result.GetValue(dag), null, result.GetValue(limit), ct))
                table.AddRow(run.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(run.Dag), DagCli.Time(run.LogicalDate), run.RunType, DagCli.State(run.State),
                    run.Version.ToString(CultureInfo.InvariantCulture), DagCli.Time(run.StartedAt), DagCli.Time(run.EndedAt));
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("run") { Description = "Run id" };
        var command = new Command("show", "Show a run's task instances") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var run = await store.Runs.GetRunAsync(result.GetValue(id), ct) ?? throw new NotFoundException("run", result.GetValue(id).ToString(CultureInfo.InvariantCulture));
            AnsiConsole.MarkupLine($"run {run.Id} of [bold]{Markup.Escape(run.Dag)}[/] (version {run.Version}, {run.RunType}): {DagCli.State(run.State)}, " +
                $"interval {run.IntervalStart:u} .. {run.IntervalEnd:u}");
            var table = new Table().Border(TableBorder.Rounded).AddColumns("task", "state", "attempt", "try", "pool", "started", "ended", "exit", "error");
            foreach (var t in (await store.Runs.ListTasksAsync([run.Id], ct)).OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id))
                table.AddRow(Markup.Escape(t.TaskId), DagCli.State(t.State), t.Attempt.ToString(CultureInfo.InvariantCulture), t.TryNumber.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(t.Pool), DagCli.Time(t.StartedAt), DagCli.Time(t.EndedAt), t.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-", Markup.Escape(t.Error ?? ""));
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Logs()
    {
        var id = new Argument<long>("run") { Description = "Run id" };
        var task = new Option<string?>("--task", "-t") { Description = "Only this task" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing until the run ends" };
        var command = new Command("logs", "Print the logs of a run's tasks") { id, task, follow };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            await TaskLogs.StreamAsync(local.Get<IMetadataStore>(), result.GetValue(id), result.GetValue(task), result.GetValue(follow), TimeProvider.System,
                text => { Console.Write(text); return Task.CompletedTask; }, () => Console.Out.FlushAsync(ct), ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
