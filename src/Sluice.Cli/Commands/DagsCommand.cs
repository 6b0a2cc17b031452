using System.CommandLine;
using System.Globalization;
using Sluice.Metadata;
using Sluice.Orchestration.Runtime;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice dags apply|list|show|trigger|pause|unpause|backfill</c>.</summary>
public static class DagsCommand
{
    public static Command Create()
    {
        var command = new Command("dags", "Apply, list and run DAGs");
        command.Subcommands.Add(Apply());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Trigger());
        command.Subcommands.Add(Pause("pause", true));
        command.Subcommands.Add(Pause("unpause", false));
        command.Subcommands.Add(Backfill());
        return command;
    }

    private static Command Apply()
    {
        var file = new Option<string>("--file", "-f") { Description = "A YAML file of DAGs (--- between them) or a directory of such files", Required = true };
        var workspaceName = DagCli.WorkspaceOption("The workspace the DAGs belong to; their connections, sources and destinations are looked up there");
        var command = new Command("apply", "Store DAGs from YAML; each change becomes a new version") { file, workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct);
            var path = result.GetValue(file)!;
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.y*ml", SearchOption.AllDirectories).Order().ToList()
                : [path];
            foreach (var f in files)
            {
                var applied = await DagCli.Operations(local).ApplyAsync(workspace, await File.ReadAllTextAsync(f, ct), f, Path.GetDirectoryName(Path.GetFullPath(f)), ct);
                foreach (var dag in applied)
                {
                    var action = dag.Created ? "[green]created[/]" : dag.Changed ? "[yellow]updated[/]" : "[grey]unchanged[/]";
                    AnsiConsole.MarkupLine($"{action} dag {Markup.Escape(dag.Name)} (version {dag.Version})");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var workspaceName = DagCli.WorkspaceOption("List the DAGs of this workspace");
        var command = new Command("list", "List the DAGs of a workspace with their schedule and latest run") { workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct);
            var catalog = new DagCatalog(store);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("dag", "version", "paused", "schedule", "tasks", "latest run", "state");
            await foreach (var dag in DagsOf(store, workspace, ct))
            {
                var definition = await catalog.GetAsync(dag.Name, dag.CurrentVersion, ct);
                var latest = (await store.Runs.ListRunsAsync(dag.Name, null, 1, ct)).FirstOrDefault();
                table.AddRow(Markup.Escape(dag.Name), dag.CurrentVersion.ToString(CultureInfo.InvariantCulture), dag.Paused ? "[yellow]yes[/]" : "no",
                    Markup.Escape(definition.Schedule.Text), definition.Tasks.Count.ToString(CultureInfo.InvariantCulture),
                    latest is null ? "-" : $"{latest.Id} ({DagCli.Time(latest.LogicalDate)})", latest is null ? "-" : DagCli.State(latest.State));
            }
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    // Page by page, so a workspace with many DAGs is never read whole into memory.
    private static async IAsyncEnumerable<Sluice.Metadata.Orchestration.DagRecord> DagsOf(IMetadataStore store, Sluice.Core.Model.Workspace workspace,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int pageSize = 200;
        string? after = null;
        while (true)
        {
            var page = await store.Dags.ListAsync(workspace.Id, pageSize, after, ct);
            foreach (var dag in page)
                yield return dag;
            if (page.Count < pageSize)
                yield break;
            after = page[^1].Name;
        }
    }

    private static Command Show()
    {
        var name = new Argument<string>("dag") { Description = "DAG name" };
        var workspaceName = DagCli.WorkspaceOption("The workspace of the DAG");
        var command = new Command("show", "Print a DAG's current definition and its versions") { name, workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var dag = await DagCli.DagAsync(store, await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct), result.GetValue(name)!, ct);
            var versions = await store.Dags.ListVersionsAsync(dag.Name, ct);
            AnsiConsole.MarkupLine($"dag [bold]{Markup.Escape(dag.Name)}[/], version {dag.CurrentVersion}{(dag.Paused ? ", [yellow]paused[/]" : "")}");
            foreach (var v in versions)
                AnsiConsole.MarkupLine($"  version {v.Version}: applied {DagCli.Time(v.CreatedAt)}");
            Console.WriteLine();
            Console.Write(versions[^1].Definition);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Trigger()
    {
        var name = new Argument<string>("dag") { Description = "DAG name" };
        var param = new Option<string[]>("--param", "-p") { Description = "NAME=VALUE overriding a DAG param (repeatable)", AllowMultipleArgumentsPerToken = false };
        var workspaceName = DagCli.WorkspaceOption("The workspace of the DAG");
        var command = new Command("trigger", "Start a manual run now") { name, param, workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            await DagCli.DagAsync(store, await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct), result.GetValue(name)!, ct);
            var parameters = new Dictionary<string, string>();
            foreach (var p in result.GetValue(param) ?? [])
            {
                var eq = p.IndexOf('=');
                if (eq <= 0)
                    throw new FormatException($"--param '{p}' is not NAME=VALUE");
                parameters[p[..eq]] = p[(eq + 1)..];
            }
            var run = await DagCli.Operations(local).TriggerAsync(result.GetValue(name)!, parameters, ct);
            AnsiConsole.MarkupLine($"run [bold]{run.Id}[/] queued; follow it with: sluice runs logs {run.Id} --follow");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Pause(string verb, bool paused)
    {
        var name = new Argument<string>("dag") { Description = "DAG name" };
        var workspaceName = DagCli.WorkspaceOption("The workspace of the DAG");
        var command = new Command(verb, paused ? "Stop creating runs for a DAG" : "Resume creating runs for a DAG") { name, workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            await DagCli.DagAsync(store, await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct), result.GetValue(name)!, ct);
            await DagCli.Operations(local).SetPausedAsync(result.GetValue(name)!, paused, ct);
            AnsiConsole.MarkupLine($"dag {Markup.Escape(result.GetValue(name)!)} {(paused ? "paused" : "unpaused")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Backfill()
    {
        var name = new Argument<string>("dag") { Description = "DAG name" };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the range (first logical date)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the range (last interval ends by then)", Required = true };
        var workspaceName = DagCli.WorkspaceOption("The workspace of the DAG");
        var command = new Command("backfill", "Create one run per interval of the schedule in a date range (existing ones are kept)") { name, from, to, workspaceName };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            await DagCli.DagAsync(store, await DagCli.WorkspaceAsync(store, result.GetValue(workspaceName)!, ct), result.GetValue(name)!, ct);
            var runs = await DagCli.Operations(local).BackfillAsync(result.GetValue(name)!, result.GetValue(from).ToUniversalTime(), result.GetValue(to).ToUniversalTime(), ct);
            AnsiConsole.MarkupLine($"created {runs.Count} runs{(runs.Count > 0 ? $" ({runs[0].Id}..{runs[^1].Id})" : "")}; they start as max_active_runs allows");
            return ExitCodes.Success;
        });
        return command;
    }
}
