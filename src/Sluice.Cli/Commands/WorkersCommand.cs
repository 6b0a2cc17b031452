using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sluice.Cli.Distributed;
using Sluice.Metadata;
using Sluice.Orchestration.Runtime;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice workers list</c>: the registry of a distributed install and the scheduler lease.</summary>
public static class WorkersCommand
{
    public static Command Create()
    {
        var command = new Command("workers", "Show the workers and schedulers of a distributed install");
        command.Subcommands.Add(List());
        return command;
    }

    private static Command List()
    {
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var command = new Command("list", "List workers (host, slots, queues, running tasks and sync jobs, last heartbeat, state) and the scheduler lease") { format };
        command.SetAction(async (result, ct) =>
        {
            var sluice = CommonOptions.From(result) with { Store = ServiceOptions.RequireStore(result, "workers list") };
            await using var local = await LocalSluice.OpenAsync(sluice, migrate: false);
            var view = await ClusterView.ReadAsync(local.Get<IMetadataStore>(), TimeProvider.System, ct);
            switch (result.GetValue(format))
            {
                case "json":
                    Console.WriteLine(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
                    break;
                case "table":
                    Print(view);
                    break;
                case var other:
                    throw new Core.Connectors.ConfigException("--format", $"'{other}' is not a format", "use table or json");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(ClusterView view)
    {
        var now = DateTimeOffset.UtcNow;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("worker", "host", "pid", "slots", "queues", "running tasks", "running syncs", "last heartbeat", "state");
        foreach (var w in view.Workers)
            table.AddRow(Markup.Escape(w.Id), Markup.Escape(w.Host), w.Pid.ToString(CultureInfo.InvariantCulture), w.Slots.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(",", w.Queues)), w.RunningTasks.ToString(CultureInfo.InvariantCulture),
                w.RunningSyncJobs.ToString(CultureInfo.InvariantCulture), Ago(now, w.LastHeartbeat),
                w.Alive ? w.State : $"{w.State} (silent)");
        AnsiConsole.Write(table);
        var lease = view.Scheduler;
        Console.WriteLine(lease.Active is null
            ? $"active scheduler: none (lease token {lease.Token} expired {Ago(now, lease.ExpiresAt)})"
            : $"active scheduler: {lease.Active} (token {lease.Token}, lease expires in {(lease.ExpiresAt - now).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        Console.WriteLine($"standby schedulers: {(lease.Standbys.Count == 0 ? "none" : string.Join(", ", lease.Standbys.Select(s => $"{s.Id} on {s.Host}")))}");
    }

    private static string Ago(DateTimeOffset now, DateTimeOffset then) =>
        $"{Math.Max(0, (now - then).TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)} s ago";
}
