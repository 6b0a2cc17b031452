using Sluice.Testing;
using Xunit.Abstractions;

namespace Sluice.Distributed.Tests.Deploy;

/// <summary>
/// deploy/systemd/*.service: checked by <c>systemd-analyze verify</c> where it is installed (with the binary path
/// pointed at a stand-in, since /opt/sluice does not exist here), else by a parse of the sections and keys that
/// matter. Either way: the env file is the one documented, and each unit starts the role it is named after.
/// </summary>
public sealed class SystemdUnitTests(ITestOutputHelper output)
{
    private const string Binary = "/opt/sluice/sluice";
    private static readonly string[] Units = ["sluice-server.service", "sluice-scheduler.service", "sluice-worker@.service"];

    [Fact]
    public async Task Units_pass_systemd_analyze_verify_or_a_parse_check()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            output.WriteLine("systemd-analyze is not installed: only the parse check ran");
            foreach (var unit in Units)
                ParseCheck(unit);
            return;
        }
        var dir = Path.Combine(Path.GetTempPath(), $"sluice-units-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var stub = Path.Combine(dir, "sluice");
            await File.WriteAllTextAsync(stub, "#!/bin/sh\n");
            await ProcessRunner.RunAsync("chmod", ["+x", stub]);
            foreach (var unit in Units)
            {
                var text = await File.ReadAllTextAsync(RepoPaths.Deploy("systemd", unit));
                await File.WriteAllTextAsync(Path.Combine(dir, unit), text.Replace(Binary, stub, StringComparison.Ordinal));
            }
            foreach (var unit in Units)
            {
                // verify warns (unknown keys, bad values) on stderr and still exits 0: any output is a failure.
                var (code, text) = await RunAsync(analyze, "verify", Path.Combine(dir, unit));
                output.WriteLine($"systemd-analyze verify {unit}: exit {code} {text}");
                Assert.True(code == 0 && text.Trim().Length == 0, $"systemd-analyze verify {unit} (exit {code}):\n{text}");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_scheduler_outweighs_workers_for_cpu_so_a_takeover_stays_quick_under_load()
    {
        var scheduler = ParseCheck("sluice-scheduler.service");
        Assert.Contains("Nice=-5", scheduler);
        Assert.Contains("CPUWeight=1000", scheduler);
        Assert.DoesNotContain(ParseCheck("sluice-worker@.service"), k => k.StartsWith("CPUWeight=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sluice-server.service", "server --listen ${SLUICE_LISTEN}")]
    [InlineData("sluice-scheduler.service", "scheduler --id %H")]
    [InlineData("sluice-worker@.service", "worker --id %H-%i --slots ${SLUICE_WORKER_SLOTS}")]
    public void Each_unit_reads_the_env_file_and_starts_its_role(string unit, string arguments)
    {
        var keys = ParseCheck(unit);
        Assert.Contains("EnvironmentFile=/etc/sluice/sluice.env", keys);
        Assert.Contains($"ExecStart={Binary} {arguments}", keys);
    }

    [Fact]
    public void The_worker_drains_on_stop_before_it_is_killed()
    {
        var keys = ParseCheck("sluice-worker@.service");
        Assert.Contains("KillSignal=SIGTERM", keys);
        // mixed: SIGTERM reaches only the worker, so its running tasks are not killed under it while it drains.
        Assert.Contains("KillMode=mixed", keys);
        Assert.Contains(keys, k => k.StartsWith("TimeoutStopSec=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_env_file_sets_what_the_units_read()
    {
        var names = File.ReadAllLines(RepoPaths.Deploy("systemd", "sluice.env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToList();
        Assert.Equal(["SLUICE_STORE", "SLUICE_MASTER_KEY", "SLUICE_WORKER_SLOTS", "SLUICE_LISTEN"], names);
    }

    /// <summary>Sections [Unit], [Service], [Install] and nothing outside them; returns the "Key=value" lines.</summary>
    private static List<string> ParseCheck(string unit)
    {
        var section = "";
        var sections = new HashSet<string>();
        var keys = new List<string>();
        foreach (var (line, number) in File.ReadAllLines(RepoPaths.Deploy("systemd", unit)).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
                continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                Assert.True(sections.Add(section), $"{unit}:{number}: section [{section}] twice");
                continue;
            }
            Assert.True(section.Length > 0, $"{unit}:{number}: '{line}' is outside any section");
            Assert.True(line.Contains('=', StringComparison.Ordinal), $"{unit}:{number}: '{line}' is not Key=value");
            keys.Add(line);
        }
        Assert.Equal(["Install", "Service", "Unit"], sections.Order(StringComparer.Ordinal));
        return keys;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        try
        {
            return (0, await ProcessRunner.RunAsync(file, args, timeout: TimeSpan.FromMinutes(1)));
        }
        catch (InvalidOperationException e)
        {
            return (1, e.Message);
        }
    }
}
