using System.CommandLine;
using Sluice.Metadata;
using Sluice.Server.Secrets;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice secrets rotate-key</c>: a new master key, and every stored connector secret re-encrypted under it.</summary>
public static class SecretsCommand
{
    public static Command Create()
    {
        var rotate = new Command("rotate-key", "Add a new master key to <data-dir>/master.key and re-encrypt every stored secret under it (old keys stay readable)");
        rotate.SetAction(async (result, cancellationToken) =>
        {
            var options = CommonOptions.From(result);
            await using var local = await LocalSluice.OpenAsync(options);
            var outcome = await SecretRotation.RotateAsync(local.Get<IMetadataStore>(), options.DataDir, options.MasterKey, cancellationToken);
            AnsiConsole.MarkupLine($"master key [green]{outcome.NewKeyId}[/] is now current (was {outcome.OldKeyId}); re-encrypted {outcome.Reencrypted} source/destination config(s)");
            return ExitCodes.Success;
        });
        return new Command("secrets", "Manage the encryption of connector secrets") { rotate };
    }
}
