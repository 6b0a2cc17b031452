using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Cli.Distributed;
using Sluice.Orchestration.Runtime;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice scheduler</c>: one scheduler of a distributed install. Several may run; the lease makes one active and
/// the others standby. Prints "scheduler ID ready", then "scheduler ID is active (token T)" / "scheduler ID lost the lease".
/// </summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var id = new Option<string?>("--id") { Description = "This scheduler's name in the lease and the registry (default scheduler-HOST-PID)" };
        var lease = ServiceOptions.Duration("--lease", "How long the lease lasts without renewal; a standby takes over this long after the active one died (default 3s)", "SLUICE_LEASE");
        var zombieAfter = ServiceOptions.Duration("--zombie-after", "A running attempt without a heartbeat for this long is failed and retried (default 10s)", "SLUICE_ZOMBIE_AFTER");
        var command = new Command("scheduler", "Run a scheduler against a shared PostgreSQL store (one active, the others standby)") { id, lease, zombieAfter };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var shutdown = new ShutdownSignal(cancellationToken);
            var leaseDuration = ServiceOptions.DurationValue(result, lease, "SLUICE_LEASE", TimeSpan.FromSeconds(3));
            var options = new OrchestrationOptions
            {
                SchedulerId = result.GetValue(id) ?? ServiceOptions.DefaultId("scheduler"),
                LeaseDuration = leaseDuration,
                LeaseRenewEvery = leaseDuration / 3,
                ZombieAfter = ServiceOptions.DurationValue(result, zombieAfter, "SLUICE_ZOMBIE_AFTER", TimeSpan.FromSeconds(10)),
                SchedulerPoll = TimeSpan.FromSeconds(1),
                Register = true,
                Listen = true,
                Log = ServiceOptions.Log,
                Status = ServiceOptions.Status,
            };
            var sluice = CommonOptions.From(result) with { Store = ServiceOptions.RequireStore(result, "scheduler") };
            await using var local = await LocalSluice.OpenAsync(sluice, migrate: false, services => services.AddSluiceOrchestration(false).AddSingleton(options));
            await local.Get<SchedulerLoop>().RunAsync(shutdown.Token);
            ServiceOptions.Status($"scheduler {options.SchedulerId} stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
