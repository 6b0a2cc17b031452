using System.CommandLine;
using Sluice.Core.Catalog;
using Sluice.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice reset CONNECTION [--stream S]</c>: forgets a connection's sync state (one stream or all), so the next sync
/// reads from the beginning. Destination tables are left as they are: an overwrite stream replaces them on its next
/// sync, an append stream receives everything again.
/// </summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var stream = new Option<string?>("--stream", "-s") { Description = "Only this stream: NAME or NAMESPACE.NAME" };
        var command = new Command("reset", "Clear a connection's sync state, for one stream or all") { name, stream };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
            var key = result.GetValue(name)!;
            var connection = (Guid.TryParse(key, out var id) ? await store.Connections.GetAsync(id, cancellationToken) : await store.Connections.FindByNameAsync(workspace.Id, key, cancellationToken))
                ?? throw new NotFoundException("connection", key);
            StreamDescriptor? descriptor = null;
            if (result.GetValue(stream) is { } text)
            {
                descriptor = connection.Catalog.Streams.Select(s => s.Descriptor).FirstOrDefault(d => d.ToString() == text || d.Name == text)
                    ?? throw new NotFoundException("stream", $"{text} in connection {connection.Name}");
            }
            await store.State.ResetAsync(connection.Id, descriptor, cancellationToken);
            AnsiConsole.MarkupLine($"reset {(descriptor is null ? "all streams" : "stream " + Markup.Escape(descriptor.ToString()))} of connection {Markup.Escape(connection.Name)}: the next sync starts from the beginning");
            return ExitCodes.Success;
        });
        return command;
    }
}
