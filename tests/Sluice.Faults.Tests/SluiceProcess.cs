using Sluice.Testing;

namespace Sluice.Faults.Tests;

/// <summary>The <c>sluice</c> commands of the fault tests, each against a data directory of its own.</summary>
internal static class SluiceProcess
{
    public static SluiceDllProcess Start(string dataDir, IDictionary<string, string> env, params string[] args) =>
        SluiceDllProcess.Start([.. args, "--data-dir", dataDir], env.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));

    public static async Task<(int ExitCode, string Output)> RunAsync(string dataDir, IDictionary<string, string> env, params string[] args)
    {
        using var process = Start(dataDir, env, args);
        await process.WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, process.Output);
    }
}
