using Sluice.Testing.Network;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>
/// A multi-host test: it runs the distributed-mode processes (<c>sluice scheduler</c>, <c>sluice worker</c>) on
/// simulated hosts. Reported as skipped, with the reason, when the sluice build has no such commands, or, for tests
/// that cut a host off, when network namespaces cannot be created here (the loopback fallback cannot cut anything).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MultiHostFactAttribute : FactAttribute
{
    /// <param name="cutsLinks">The test cuts a host off, so it needs real network namespaces.</param>
    /// <param name="soak">A stress test, too long for the default suite: it runs only with SLUICE_SOAK=1.</param>
    public MultiHostFactAttribute(bool cutsLinks = false, bool soak = false)
    {
        if (soak && Environment.GetEnvironmentVariable("SLUICE_SOAK") != "1")
            Skip = "a stress test: set SLUICE_SOAK=1 to run it";
        else if (typeof(Sluice.Cli.Commands.MigrateCommand).Assembly.GetType("Sluice.Cli.Commands.SchedulerCommand") is null)
            Skip = "this sluice build has no distributed-mode commands (sluice scheduler / worker)";
        else if (cutsLinks && NamespaceSupport.UnavailableReason is { } reason)
            Skip = $"needs network namespaces to cut a host off: {reason}";
    }
}
