using System.CommandLine;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice sync CONNECTION</c>: runs a connection's sync in this process with a live progress line and final stats.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("connection") { Description = "Connection name or id" };
        var attempts = new Option<int>("--attempts") { Description = "Attempts before giving up", DefaultValueFactory = _ => 3 };
        var command = new Command("sync", "Sync a connection now and show progress") { name, attempts };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
            var key = result.GetValue(name)!;
            var connection = (Guid.TryParse(key, out var id) ? await store.Connections.GetAsync(id, cancellationToken) : await store.Connections.FindByNameAsync(workspace.Id, key, cancellationToken))
                ?? throw new NotFoundException("connection", key);
            var runner = local.Get<SyncJobRunner>();
            var options = new SyncJobOptions { MaxAttempts = Math.Max(1, result.GetValue(attempts)) };
            var job = await ProgressDisplay.RunAsync($"sync {connection.Name}", progress => runner.RunAsync(connection.Id, options, progress, cancellationToken));
            Report(job, await store.Jobs.ListAttemptsAsync(job.Id, cancellationToken));
            return job.Status == JobStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static void Report(Job job, IReadOnlyList<JobAttempt> attempts)
    {
        var stats = job.Stats;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("stream", "records read", "records committed", "MB");
        foreach (var (stream, s) in stats.Streams.OrderBy(kv => kv.Key))
            table.AddRow(Markup.Escape(stream), s.RecordsRead.ToString("N0"), s.RecordsCommitted.ToString("N0"), (s.BytesRead / 1_048_576.0).ToString("F1"));
        AnsiConsole.Write(table);
        var color = job.Status == JobStatus.Succeeded ? "green" : "red";
        AnsiConsole.MarkupLine($"job {job.Id} [{color}]{job.Status.ToString().ToLowerInvariant()}[/] after {attempts.Count} attempt(s): " +
            $"{stats.RecordsRead:N0} records, {stats.BytesRead / 1_048_576.0:F1} MB in {stats.ElapsedSeconds:F1} s ({stats.MegabytesPerSecond:F1} MB/s, {stats.RecordsPerSecond:N0} rows/s)");
        if (job.Error is not null)
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(job.Error)}");
    }
}
