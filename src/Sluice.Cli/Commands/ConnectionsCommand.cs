using System.CommandLine;
using System.Text.Json;
using Sluice.Core.Evolution;
using Sluice.Core.Model;
using Sluice.Engine.Evolution;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Definitions;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice connections list|schema-changes|pause|resume|set-policy</c>: a connection's status, its schema-change
/// history and the commands that act on it (docs/sync-modes.md, "Schema evolution").
/// </summary>
public static class ConnectionsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("connections", "List connections, show their schema changes, pause and resume them");
        command.Subcommands.Add(List());
        command.Subcommands.Add(SchemaChanges());
        command.Subcommands.Add(Pause());
        command.Subcommands.Add(Resume());
        command.Subcommands.Add(SetPolicy());
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List connections with their status and schema change policy");
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await store.Workspaces.GetOrCreateDefaultAsync(ct);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("connection", "status", "schema change policy", "streams", "schedule");
            foreach (var c in await store.Connections.ListAsync(workspace.Id, ct))
                table.AddRow(Markup.Escape(c.Name), c.Status == ConnectionStatus.Paused ? "[yellow]paused[/]" : "active", PolicyText(c.SchemaChangePolicy),
                    c.Catalog.Streams.Count.ToString(), Markup.Escape(c.Schedule is null ? "-" : c.TimeZone is null ? c.Schedule : $"{c.Schedule} ({c.TimeZone})"));
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SchemaChanges()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many, newest first", DefaultValueFactory = _ => 50 };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var command = new Command("schema-changes", "List the source schema changes a connection has seen and what was done about each") { name, limit, format };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var connection = await FindAsync(store, result.GetValue(name)!, ct);
            var changes = await store.Schemas.ListChangesAsync(connection.Id, Math.Clamp(result.GetValue(limit), 1, 10_000), null, ct);
            if (result.GetValue(format) is "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(changes.Select(Row).ToList(), Json));
                return ExitCodes.Success;
            }
            if (result.GetValue(format) is not "table")
                throw new FormatException($"--format: '{result.GetValue(format)}' is not a format; use table or json");
            if (connection.Status == ConnectionStatus.Paused)
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(await new SchemaEvolution(store).PausedMessageAsync(connection, ct))}[/]");
            // Lines, not a table: messages are long, and a table squeezed into a terminal wraps words mid-way.
            foreach (var c in changes)
            {
                AnsiConsole.MarkupLine($"{c.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {Action(c.Action)}  {Markup.Escape(c.Change.ToString())}  [grey]({c.Change.Kind.ToText()}, {(c.JobId is { } job ? $"job {job}" : "on resume")})[/]");
                AnsiConsole.MarkupLine($"    {Markup.Escape(c.Message)}");
            }
            if (changes.Count == 0)
                AnsiConsole.MarkupLine($"no schema changes seen for connection {Markup.Escape(connection.Name)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Pause()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var command = new Command("pause", "Pause a connection: no sync runs until it is resumed") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var connection = await FindAsync(store, result.GetValue(name)!, ct);
            if (connection.Status != ConnectionStatus.Paused)
                await store.Connections.UpdateAsync(connection with { Status = ConnectionStatus.Paused }, ct);
            AnsiConsole.MarkupLine($"connection {Markup.Escape(connection.Name)} is paused");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Resume()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var command = new Command("resume", "Resume a paused connection, accepting the source schema changes it paused for") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var connection = await FindAsync(store, result.GetValue(name)!, ct);
            if (connection.Status == ConnectionStatus.Active)
            {
                AnsiConsole.MarkupLine($"connection {Markup.Escape(connection.Name)} is already active");
                return ExitCodes.Success;
            }
            var resolved = await local.Get<ConnectionResolver>().ResolveAsync(connection.Id, ct);
            var resumed = await new SchemaEvolution(store).ResumeAsync(resolved, ct);
            foreach (var change in resumed.Changes)
                AnsiConsole.MarkupLine($"{Markup.Escape(change.Change.ToString())}: {Action(change.Action)}: {Markup.Escape(change.Message)}");
            AnsiConsole.MarkupLine($"connection {Markup.Escape(connection.Name)} is active again{(resumed.Changes.Count > 0 ? $", {resumed.Changes.Count} schema change(s) accepted" : "")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetPolicy()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var policy = new Argument<string>("policy") { Description = "propagate_all, propagate_columns, ignore or pause" };
        var command = new Command("set-policy", "Set what a connection does when its source's schema changes") { name, policy };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var connection = await FindAsync(store, result.GetValue(name)!, ct);
            var parsed = DefinitionApplier.ParsePolicy(result.GetValue(policy), $"connection {connection.Name}");
            await store.Connections.UpdateAsync(connection with { SchemaChangePolicy = parsed }, ct);
            AnsiConsole.MarkupLine($"connection {Markup.Escape(connection.Name)}: schema_change_policy {PolicyText(parsed)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Connection> FindAsync(IMetadataStore store, string key, CancellationToken ct)
    {
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync(ct);
        return (Guid.TryParse(key, out var id) ? await store.Connections.GetAsync(id, ct) : await store.Connections.FindByNameAsync(workspace.Id, key, ct))
            ?? throw new NotFoundException("connection", key);
    }

    private static object Row(SchemaChangeRecord c) => new
    {
        c.Id, c.At, c.JobId, StreamNamespace = c.Stream.Namespace, Stream = c.Stream.Name, Kind = c.Change.Kind.ToText(),
        c.Change.Column, c.Change.OldType, c.Change.NewType, Action = c.Action.ToText(), c.Message,
    };

    private static string Action(SchemaChangeAction action) => action switch
    {
        SchemaChangeAction.Applied => "[green]applied[/]",
        SchemaChangeAction.Paused => "[yellow]paused[/]",
        _ => "ignored",
    };

    private static string PolicyText(SchemaChangePolicy policy) => policy switch
    {
        SchemaChangePolicy.PropagateAll => "propagate_all",
        SchemaChangePolicy.PropagateColumns => "propagate_columns",
        SchemaChangePolicy.Ignore => "ignore",
        _ => "pause",
    };
}
