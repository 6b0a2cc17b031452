using System.CommandLine;
using Sluice.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice migrate</c>: applies the metadata schema to the store.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the metadata schema migrations to the store");
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var version = await local.Get<IMetadataStore>().SchemaVersionAsync(cancellationToken);
            AnsiConsole.MarkupLine($"metadata schema at version [green]{version}[/]");
            return ExitCodes.Success;
        });
        return command;
    }
}
