namespace Sluice.Orchestration.Execution;

/// <summary>
/// Finds the executable before starting it, so a typo gives "command 'x' not found" rather than a
/// wrapper's exit code 127.
/// </summary>
internal static class CommandResolver
{
    public static string? Resolve(string command, string? workingDir, IReadOnlyDictionary<string, string> env)
    {
        if (command.Contains('/') || command.Contains('\\'))
        {
            var full = Path.GetFullPath(command, workingDir ?? Environment.CurrentDirectory);
            return File.Exists(full) ? full : null;
        }

        var path = env.TryGetValue("PATH", out var overridden) ? overridden : Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }
}
