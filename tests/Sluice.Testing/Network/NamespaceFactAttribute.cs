using Xunit;

namespace Sluice.Testing.Network;

/// <summary>
/// A fact that only means something with real network namespaces (cutting a host off, cleaning up namespaces).
/// Where they cannot be created, the loopback fallback cannot do it, so the test is reported as skipped with the
/// reason instead of passing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NamespaceFactAttribute : FactAttribute
{
    /// <param name="why">What the test needs namespaces for, e.g. "to cut a host off".</param>
    public NamespaceFactAttribute(string why)
    {
        if (NamespaceSupport.UnavailableReason is { } reason)
            Skip = $"needs network namespaces {why}: {reason}";
    }
}
