using System.Diagnostics;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Airbyte;

/// <summary>Checks once that a Docker engine answers before an image-based connector is started.</summary>
internal static class DockerEngine
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static void EnsureAvailable()
    {
        if (Problem.Value is { } problem)
            throw new ConnectorUnavailableException($"image: Docker is not available ({problem}); install and start Docker, or run the connector with command instead");
    }

    private static string? Probe()
    {
        try
        {
            var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["version", "--format", "{{.Server.Version}}"])
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return "the engine did not answer within 10 s";
            }
            return process.ExitCode == 0 ? null : stderr.Result.Trim().Split('\n').LastOrDefault() ?? $"docker exited with {process.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"no docker executable: {e.Message}";
        }
    }
}
