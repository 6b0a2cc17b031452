namespace Sluice.Testing.Network;

/// <summary>
/// One simulated machine: a network namespace with its own address on the test bridge, or, in the loopback
/// fallback, just a name (<see cref="Namespace"/> is null and <see cref="Address"/> is 127.0.0.1).
/// </summary>
public sealed record NetworkHost(string Name, string Address, string? Namespace, string? BridgePort)
{
    public bool IsIsolated => Namespace is not null;

    public override string ToString() => IsIsolated ? $"{Name} ({Address} in netns {Namespace})" : $"{Name} (loopback)";
}
