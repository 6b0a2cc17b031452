using System.Diagnostics;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Tests.Execution;

public sealed class CommandTaskExecutorTests
{
    private static readonly DataInterval Interval =
        new(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero));

    private readonly CommandTaskExecutor _executor = new(TimeProvider.System);
    private readonly ListLogSink _log = new();

    private static TaskContext Context(CommandTaskDefinition task) => new()
    {
        DagId = "d", RunId = "manual__1", Task = task, DataInterval = Interval,
        Params = new Dictionary<string, string> { ["who"] = "world" },
    };

    private static CommandTaskDefinition Shell(string script, TimeSpan? timeout = null) =>
        new() { Id = "t", Command = "sh", Args = ["-c", script], Timeout = timeout };

    private ValueTask<TaskOutcome> Run(CommandTaskDefinition task, CancellationToken ct = default) =>
        _executor.ExecuteAsync(Context(task), _log, ct);

    [Fact]
    public async Task Success_captures_stdout_and_stderr_line_by_line()
    {
        var outcome = await Run(Shell("echo hello {{ params.who }}; echo second; echo oops >&2"));
        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(["hello world", "second"], _log.Texts(TaskLogStream.Stdout));
        Assert.Equal(["oops"], _log.Texts(TaskLogStream.Stderr));
        Assert.Contains("exit code 0", _log.Texts(TaskLogStream.System));
    }

    [Fact]
    public async Task Non_zero_exit_is_a_failure()
    {
        var outcome = await Run(Shell("echo failing; exit 3"));
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("exited with code 3", outcome.Message);
    }

    [Fact]
    public async Task Env_and_working_dir_are_honoured_and_templated()
    {
        var dir = Directory.CreateTempSubdirectory("sluice-cmd-").FullName;
        try
        {
            var task = Shell("echo \"$GREETING\"; echo \"$SLUICE_DAG_ID/$SLUICE_TASK_ID\"; pwd") with
            {
                Env = new Dictionary<string, string> { ["GREETING"] = "day {{ ds }}" },
                WorkingDir = dir,
            };
            var outcome = await Run(task);
            Assert.True(outcome.IsSuccess, outcome.Message);
            Assert.Equal(["day 2024-01-02", "d/t", dir], _log.Texts(TaskLogStream.Stdout));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Timeout_kills_the_process_and_its_grandchildren()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"sluice-{Guid.NewGuid():N}.pid");
        try
        {
            // sh starts a background sleep (a grandchild of ours, via setsid) and a foreground one.
            var task = Shell($"sleep 30 & echo $! > {pidFile}; sleep 30", TimeSpan.FromSeconds(1));
            var watch = Stopwatch.StartNew();
            var outcome = await Run(task);
            watch.Stop();

            Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
            Assert.Contains("timed out after 1s", outcome.Message);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await AssertGoneAsync(grandchild);
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task Timeout_kills_an_orphan_that_outlived_its_parent()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"sluice-{Guid.NewGuid():N}.pid");
        try
        {
            // sh exits at once; the orphaned sleep keeps stdout open, so the task is not finished.
            var outcome = await Run(Shell($"sleep 30 & echo $! > {pidFile}; echo started", TimeSpan.FromSeconds(1)));
            Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
            Assert.Contains("started", _log.Texts(TaskLogStream.Stdout));
            await AssertGoneAsync(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task Cancellation_kills_the_process_and_throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Run(Shell("sleep 30"), cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Unknown_command_fails_clearly()
    {
        var outcome = await Run(new CommandTaskDefinition { Id = "t", Command = "no-such-command-sluice" });
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("command 'no-such-command-sluice' not found", outcome.Message);
    }

    [Fact]
    public async Task Template_error_fails_before_starting()
    {
        var outcome = await Run(new CommandTaskDefinition { Id = "t", Command = "echo", Args = ["{{ params.missing }}"] });
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("field 'args[0]'", outcome.Message);
        Assert.Contains("'params.missing'", outcome.Message);
    }

    [Fact]
    public async Task Missing_working_dir_fails()
    {
        var outcome = await Run(new CommandTaskDefinition { Id = "t", Command = "true", WorkingDir = "/no/such/dir" });
        Assert.Contains("working_dir '/no/such/dir' does not exist", outcome.Message);
    }

    // A killed process may linger briefly as a zombie until its new parent reaps it; either way it no longer runs.
    private static async Task AssertGoneAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return;
            }

            try
            {
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state is "Z" or "X")
                {
                    return;
                }
            }
            catch (IOException)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"process {pid} still runs");
    }
}
