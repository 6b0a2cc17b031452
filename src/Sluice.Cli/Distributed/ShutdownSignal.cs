using System.Runtime.InteropServices;

namespace Sluice.Cli.Distributed;

/// <summary>
/// SIGTERM and SIGINT as a cancellation token, with the default (immediate exit) suppressed, so a worker can drain
/// for its whole grace period. Program.cs turns System.CommandLine's own 2-second handling off for these commands.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal(CancellationToken also)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(also);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The commands that handle termination themselves.</summary>
    public static bool IsHandledBy(string commandName) => commandName is "scheduler" or "worker" or "server";

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
