using System.Globalization;

namespace Sluice.Testing;

/// <summary>
/// Removes throwaway servers whose test host died without cleaning up (killed by a timeout, OOM or Ctrl+C): their
/// directories are named <c>/tmp/sluice-pg-&lt;host pid&gt;-&lt;guid&gt;</c> or <c>/tmp/sluice-maria-&lt;host pid&gt;-&lt;guid&gt;</c>,
/// and once that pid is gone nothing else will stop them. Left alone they once filled /tmp for every test run.
/// A directory whose pid is alive is kept, even if the pid was reused: a live server is worth more than its disk.
/// </summary>
public static class LeftoverServers
{
    public const string PostgresPrefix = "sluice-pg-";
    public const string MariaDbPrefix = "sluice-maria-";

    /// <summary>
    /// A file in a server directory being set up (such as the orphans of the reaper's own tests, made under a dead pid),
    /// read by the reapers of this process and of the other test processes (the test projects run in parallel): an
    /// orphan made on purpose was once reaped by another project in the middle of its mariadb-install-db. A marker older
    /// than <see cref="StartingFor"/> is a set-up that died and does not protect.
    /// </summary>
    private const string StartingMarker = ".sluice-starting";
    private static readonly TimeSpan StartingFor = TimeSpan.FromMinutes(10);

    /// <summary>Creates <paramref name="root"/> and keeps it from being reaped, by this process or another, until the returned handle is disposed.</summary>
    public static IDisposable Protect(string root)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, StartingMarker), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new Release(root);
    }

    private static bool IsStarting(string root)
    {
        try
        {
            // A missing file reads as written in 1601.
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(Path.Combine(root, StartingMarker)) < StartingFor;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops and removes every server directory with <paramref name="prefix"/> whose owning test host is gone; returns them.</summary>
    public static async Task<IReadOnlyList<string>> ReapAsync(string prefix, Func<string, Task> stop)
    {
        var reaped = new List<string>();
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var owner = OwnerPid(Path.GetFileName(root), prefix);
            if (owner is null || ProcessExists(owner.Value) || IsStarting(root))
                continue;
            try
            {
                await stop(root);
            }
            catch (Exception)
            {
                // A half-initialised directory has no server to stop; it is removed all the same.
            }
            KillProcessesUsing(root);
            if (TryDelete(root))
                reaped.Add(root);
        }
        return reaped;
    }

    /// <summary>The test-host pid in a name like <c>sluice-pg-1234-0123abcd...</c>, or null for names of another shape.</summary>
    public static int? OwnerPid(string directoryName, string prefix)
    {
        if (!directoryName.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var rest = directoryName[prefix.Length..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>The pid of a process that has already exited: the owner of a directory a crashed test host left.</summary>
    public static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true") ?? throw new InvalidOperationException("cannot start 'true'");
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>Kills what still runs from the directory (a server pg_ctl could not stop, mariadbd): its command line names it.</summary>
    private static void KillProcessesUsing(string root)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(root + "/", StringComparison.Ordinal) || commandLine.EndsWith(root + " ", StringComparison.Ordinal))
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The process ended while we looked, or is not ours to kill.
            }
        }
    }

    private sealed class Release(string root) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                File.Delete(Path.Combine(root, StartingMarker));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The directory is gone already (a failed start cleaned it up).
            }
        }
    }

    private static bool TryDelete(string root)
    {
        // A killed server may still be closing its files for a moment.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(root, true);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(250);
            }
        }
        return false;
    }
}
