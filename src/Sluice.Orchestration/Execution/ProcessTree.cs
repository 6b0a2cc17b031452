using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Starting a command in its own process group and killing the whole group. Process.Kill(entireProcessTree)
/// alone misses grandchildren already re-parented to init (e.g. "sh -c 'sleep 30 &'" after sh exits), and
/// those keep the output pipes open. On Unix the command is started through setsid(1), which makes it a
/// process group leader with the same pid, so kill(-pid) reaches every process it spawned.
/// </summary>
internal static partial class ProcessTree
{
    private const int SigKill = 9;

    private static readonly string? SetSid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>True when commands are started in their own process group.</summary>
    public static bool UsesProcessGroups => SetSid is not null && !OperatingSystem.IsWindows();

    public static ProcessStartInfo StartInfo(string executable, IReadOnlyList<string> args)
    {
        var info = UsesProcessGroups ? new ProcessStartInfo(SetSid!) : new ProcessStartInfo(executable);
        if (UsesProcessGroups)
        {
            info.ArgumentList.Add(executable);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    public static void Kill(Process process)
    {
        try
        {
            if (UsesProcessGroups)
            {
                _ = NativeKill(-process.Id, SigKill);
            }

            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: nothing to kill.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
