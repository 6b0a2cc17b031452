using System.CommandLine;
using System.Globalization;
using Sluice.Metadata;
using Sluice.Orchestration.Runtime;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice pools list|set|delete</c>: task slot pools shared by every DAG.</summary>
public static class PoolsCommand
{
    public static Command Create()
    {
        var command = new Command("pools", "List, create, resize and delete task pools");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static PoolOperations Operations(LocalSluice local)
    {
        var store = local.Get<IMetadataStore>();
        return new PoolOperations(store, new DagCatalog(store));
    }

    private static Command List()
    {
        var command = new Command("list", "List pools with their slots and how many are in use");
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var table = new Table().Border(TableBorder.Rounded).AddColumns("pool", "slots", "in use");
            foreach (var pool in await Operations(local).ListAsync(ct))
                table.AddRow(Markup.Escape(pool.Name), pool.Slots.ToString(CultureInfo.InvariantCulture), pool.Busy.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Set()
    {
        var name = new Argument<string>("pool") { Description = "Pool name" };
        var slots = new Option<int>("--slots") { Description = "How many of its tasks may be queued or running at once, across all DAGs", Required = true };
        var command = new Command("set", "Create a pool or change its slots") { name, slots };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var pool = await Operations(local).SetAsync(result.GetValue(name)!, result.GetValue(slots), ct);
            AnsiConsole.MarkupLine($"pool {Markup.Escape(pool.Name)}: {pool.Slots} slots ({pool.Busy} in use)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("pool") { Description = "Pool name" };
        var command = new Command("delete", "Delete a pool no DAG uses") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            await Operations(local).DeleteAsync(result.GetValue(name)!, ct);
            AnsiConsole.MarkupLine($"deleted pool {Markup.Escape(result.GetValue(name)!)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
