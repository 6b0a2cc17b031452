using System.CommandLine;
using Sluice.Core.Model;
using Sluice.Metadata;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice jobs list|show|logs</c>: connection sync jobs with their status, stats and logs (DAG runs are <c>sluice runs</c>).</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "List connection sync jobs, show one, read its log");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Logs());
        return command;
    }

    private static Command List()
    {
        var connection = new Option<string?>("--connection", "-c") { Description = "Only this connection (name or id)" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List recent sync jobs") { connection, limit };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var workspace = await store.Workspaces.GetOrCreateDefaultAsync(ct);
            var connections = (await store.Connections.ListAsync(workspace.Id, ct)).ToDictionary(c => c.Id);
            Guid? filter = null;
            if (result.GetValue(connection) is { } key)
                filter = connections.Values.FirstOrDefault(c => c.Name == key || c.Id.ToString() == key)?.Id ?? throw new NotFoundException("connection", key);
            var jobs = await store.Jobs.ListAsync(filter, result.GetValue(limit), null, ct);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("job", "connection", "status", "started", "duration", "records", "MB", "attempts");
            foreach (var job in jobs)
                table.AddRow(job.Id.ToString(), Markup.Escape(connections.GetValueOrDefault(job.ConnectionId)?.Name ?? job.ConnectionId.ToString()), Status(job.Status),
                    job.StartedAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "-", $"{job.Stats.ElapsedSeconds:F1} s", job.Stats.RecordsRead.ToString("N0"),
                    (job.Stats.BytesRead / 1_048_576.0).ToString("F1"), job.Attempts.ToString());
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("job") { Description = "Job id" };
        var command = new Command("show", "Show a job's attempts and stats") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var job = await store.Jobs.GetAsync(result.GetValue(id), ct) ?? throw new NotFoundException("job", result.GetValue(id).ToString());
            AnsiConsole.MarkupLine($"job {job.Id}: {Status(job.Status)}, {job.Stats.RecordsRead:N0} records, {job.Stats.ElapsedSeconds:F1} s");
            var table = new Table().Border(TableBorder.Rounded).AddColumns("attempt", "status", "started", "ended", "records", "error");
            foreach (var a in await store.Jobs.ListAttemptsAsync(job.Id, ct))
                table.AddRow(a.Number.ToString(), Status(a.Status), a.StartedAt.ToLocalTime().ToString("HH:mm:ss"), a.EndedAt?.ToLocalTime().ToString("HH:mm:ss") ?? "-",
                    a.Stats.RecordsRead.ToString("N0"), Markup.Escape(a.Error ?? ""));
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Logs()
    {
        var id = new Argument<long>("job") { Description = "Job id" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing until the job ends" };
        var command = new Command("logs", "Print a job's log") { id, follow };
        command.SetAction(async (result, ct) =>
        {
            await using var local = await LocalSluice.OpenAsync(CommonOptions.From(result));
            var store = local.Get<IMetadataStore>();
            var jobId = result.GetValue(id);
            var sent = new Dictionary<int, int>();
            while (true)
            {
                var job = await store.Jobs.GetAsync(jobId, ct) ?? throw new NotFoundException("job", jobId.ToString());
                foreach (var attempt in await store.Jobs.ListAttemptsAsync(jobId, ct))
                {
                    var log = attempt.Log ?? "";
                    var offset = sent.GetValueOrDefault(attempt.Number);
                    if (log.Length > offset)
                    {
                        Console.Write(log[offset..]);
                        sent[attempt.Number] = log.Length;
                    }
                }
                if (!result.GetValue(follow) || job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
                    return ExitCodes.Success;
                await Task.Delay(500, ct);
            }
        });
        return command;
    }

    private static string Status(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "[green]succeeded[/]",
        JobStatus.Failed => "[red]failed[/]",
        JobStatus.Running => "[blue]running[/]",
        _ => status.ToString().ToLowerInvariant(),
    };
}
