using System.CommandLine;
using Sluice.Server.Definitions;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice apply -f PATH</c>: creates or updates sources, destinations and connections from YAML.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--file", "-f") { Description = "A YAML file or a directory of them", Required = true };
        var command = new Command("apply", "Apply YAML definitions (idempotent; prints what changed)") { file };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var changes = await local.Get<DefinitionApplier>().ApplyPathAsync(result.GetValue(file)!, cancellationToken);
            foreach (var change in changes)
            {
                var color = change.Action switch { ApplyAction.Created => "green", ApplyAction.Updated => "yellow", _ => "grey" };
                AnsiConsole.MarkupLine($"[{color}]{change.Action.ToString().ToLowerInvariant(),-9}[/] {change.Kind} {Markup.Escape(change.Name)}");
                foreach (var line in change.Diff)
                    AnsiConsole.MarkupLine($"          {Markup.Escape(line)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
