using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Templating;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs a <see cref="CommandTaskDefinition"/>: templated command, args, env and working directory; output
/// streamed to the log line by line; on timeout or cancellation the whole process group is killed.
/// </summary>
internal sealed class CommandTaskExecutor(TimeProvider time) : ITaskExecutor
{
    // After a kill, how long to wait for the process and its pipes to close before giving up on them.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = context.Task as CommandTaskDefinition
            ?? throw new ArgumentException($"task '{context.TaskId}' is a {context.Task.Type} task, not a command task", nameof(context));
        var writer = new SerialLogWriter(log, time);

        ProcessStartInfo info;
        try
        {
            info = Prepare(task, context, writer);
        }
        catch (Exception ex) when (ex is TemplateException or FileNotFoundException or DirectoryNotFoundException)
        {
            writer.Write(TaskLogStream.System, ex.Message);
            return TaskOutcome.Failed(ex.Message);
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.Write(TaskLogStream.Stdout, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.Write(TaskLogStream.Stderr, e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            var message = $"could not start '{task.Command}': {ex.Message}";
            writer.Write(TaskLogStream.System, message);
            return TaskOutcome.Failed(message);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = task.Timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Also waits for stdout/stderr to reach end of file, so every line is in the log before we return.
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessTree.Kill(process);
            await WaitAfterKillAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = TaskOutcome.TimedOut(task.Timeout!.Value);
            writer.Write(TaskLogStream.System, $"{outcome.Message}; killed the process and its children");
            return outcome;
        }

        var exitCode = process.ExitCode;
        writer.Write(TaskLogStream.System, $"exit code {exitCode}");
        return exitCode == 0
            ? TaskOutcome.Succeeded(exitCode: 0)
            : TaskOutcome.Failed($"'{task.Command}' exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}", exitCode);
    }

    private static ProcessStartInfo Prepare(CommandTaskDefinition task, TaskContext context, SerialLogWriter writer)
    {
        var command = context.Render(task.Command, "command");
        var args = task.Args.Select((a, i) => context.Render(a, $"args[{i}]")).ToList();
        var env = task.Env.ToDictionary(p => p.Key, p => context.Render(p.Value, $"env.{p.Key}"), StringComparer.Ordinal);
        var workingDir = task.WorkingDir is null ? null : context.Render(task.WorkingDir, "working_dir");
        if (workingDir is not null && !Directory.Exists(workingDir))
        {
            throw new DirectoryNotFoundException($"working_dir '{workingDir}' does not exist");
        }

        var executable = CommandResolver.Resolve(command, workingDir, env)
            ?? throw new FileNotFoundException($"command '{command}' not found (searched PATH)");

        var info = ProcessTree.StartInfo(executable, args);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = false;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        if (workingDir is not null)
        {
            info.WorkingDirectory = workingDir;
        }

        // Like Airflow's AIRFLOW_CTX_*: lets scripts know which run they serve without templating.
        info.Environment["SLUICE_DAG_ID"] = context.DagId;
        info.Environment["SLUICE_TASK_ID"] = context.TaskId;
        info.Environment["SLUICE_RUN_ID"] = context.RunId;
        info.Environment["SLUICE_TRY_NUMBER"] = context.Attempt.ToString(CultureInfo.InvariantCulture);
        info.Environment["SLUICE_LOGICAL_DATE"] = context.DataInterval.Start.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        // Arguments only, never env values: those are where secrets live.
        writer.Write(TaskLogStream.System, $"running {command} {string.Join(' ', args.Select(Quote))}".TrimEnd());
        return info;
    }

    private async Task WaitAfterKillAsync(Process process)
    {
        using var grace = new CancellationTokenSource(KillGrace, time);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A process that escaped its group still holds the pipes; report the timeout anyway.
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(char.IsWhiteSpace) && !arg.Contains('\'') ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
