using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary><c>sluice runs logs ID --follow</c> against a real <c>sluice standalone</c> running the DAG in another process.</summary>
public sealed class RunsLogsFollowTests
{
    [Fact]
    public async Task Follow_prints_lines_while_the_task_runs_and_exits_when_the_run_ends()
    {
        var dir = SluiceCli.TempDir();
        var data = Path.Combine(dir, "data");
        var port = FreePort.Next();
        using var server = Start(data, drainStdout: true, "standalone", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-demo");
        try
        {
            using (var http = new HttpClient())
            {
                var deadline = DateTime.UtcNow.AddMinutes(2);
                while (!await HealthyAsync(http, port))
                {
                    Assert.True(DateTime.UtcNow < deadline && !server.HasExited, "sluice standalone did not come up");
                    await Task.Delay(250);
                }
            }

            var yaml = Path.Combine(dir, "chatty.yaml");
            await File.WriteAllTextAsync(yaml, """
                name: chatty
                tasks:
                  - id: talk
                    type: command
                    command: sh
                    args: ["-c", "echo first line; sleep 8; echo second line"]
                """);
            Assert.Equal(0, (await SluiceCli.RunAsync(data, null, "dags", "apply", "-f", yaml)).ExitCode);
            var trigger = await SluiceCli.RunAsync(data, null, "dags", "trigger", "chatty");
            var runId = Regex.Match(trigger.Stdout, @"run (\d+) queued").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(runId), trigger.All);

            using var follow = Start(data, drainStdout: false, "runs", "logs", runId, "--follow");
            var output = new StringBuilder();
            var firstAt = DateTime.MaxValue;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await follow.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("first line") && firstAt == DateTime.MaxValue)
                    firstAt = DateTime.UtcNow;
            }

            await follow.WaitForExitAsync(timeout.Token);
            var exitedAt = DateTime.UtcNow;
            Assert.Equal(0, follow.ExitCode);
            Assert.Contains("second line", output.ToString());
            // The first line came while the task slept (8 s), not all at once at the end.
            Assert.True(exitedAt - firstAt > TimeSpan.FromSeconds(3), $"first line {firstAt:O}, exit {exitedAt:O}:\n{output}");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static Process Start(string data, bool drainStdout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(data);
        psi.Environment["NO_COLOR"] = "1";
        var process = Process.Start(psi)!;
        // Drain stderr so a chatty process never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync();
        if (drainStdout)
            _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private static async Task<bool> HealthyAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
