using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Cli.Distributed;
using Sluice.Core.Connectors;
using Sluice.Orchestration.Runtime;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice worker</c>: claims and runs task attempts from the shared store. SIGTERM drains it: no new claims, running
/// attempts get the grace period, the rest is handed back to the queue, exit 0. Prints "worker ID ready".
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var id = new Option<string?>("--id") { Description = "This worker's name in the registry (default worker-HOST-PID)" };
        var slots = new Option<int?>("--slots") { Description = "How many task attempts run at once (default 8; env SLUICE_WORKER_SLOTS)" };
        var queues = new Option<string?>("--queues") { Description = "Comma-separated queues to claim from (default: default)" };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated key=value labels shown in the workers list" };
        var grace = ServiceOptions.Duration("--grace", "On SIGTERM, how long running attempts may finish before they are handed back (default 30s)", "SLUICE_DRAIN_GRACE");
        var heartbeat = ServiceOptions.Duration("--heartbeat", "How often running attempts heartbeat (default 2s; keep well under the scheduler's --zombie-after)", "SLUICE_HEARTBEAT_EVERY");
        var jobSlots = new Option<int?>("--job-slots") { Description = "How many sync jobs asked for through the API run at once (default 2; 0 runs none; env SLUICE_JOB_SLOTS)" };
        var poll = ServiceOptions.Duration("--poll", "Longest wait between claims when no notification arrives (default 1s)", "SLUICE_WORKER_POLL");
        var command = new Command("worker", "Run a worker against a shared PostgreSQL store") { id, slots, jobSlots, queues, labels, grace, heartbeat, poll };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var shutdown = new ShutdownSignal(cancellationToken);
            var slotCount = result.GetValue(slots) ?? (int.TryParse(Environment.GetEnvironmentVariable("SLUICE_WORKER_SLOTS"), out var s) ? s : 8);
            if (slotCount is < 1 or > 10_000)
                throw new ConfigException("--slots", $"{slotCount} is out of range", "give 1 to 10000");
            var jobSlotCount = result.GetValue(jobSlots) ?? (int.TryParse(Environment.GetEnvironmentVariable("SLUICE_JOB_SLOTS"), out var j) ? j : 2);
            if (jobSlotCount is < 0 or > 1_000)
                throw new ConfigException("--job-slots", $"{jobSlotCount} is out of range", "give 0 to 1000");
            var queueNames = ServiceOptions.Names(result.GetValue(queues), "--queues");
            IReadOnlyList<string> queueList = queueNames.Count == 0 ? [RunFactoryDefaults.Queue] : queueNames;
            var options = new OrchestrationOptions
            {
                WorkerId = result.GetValue(id) ?? ServiceOptions.DefaultId("worker"),
                WorkerSlots = slotCount,
                Queues = queueList,
                // Sync jobs have no queue of their own: the workers of the default queue run them.
                JobSlots = queueList.Contains(RunFactoryDefaults.Queue) ? jobSlotCount : 0,
                Labels = ServiceOptions.Labels(result.GetValue(labels)),
                DrainGrace = ServiceOptions.DurationValue(result, grace, "SLUICE_DRAIN_GRACE", TimeSpan.FromSeconds(30)),
                HeartbeatEvery = ServiceOptions.DurationValue(result, heartbeat, "SLUICE_HEARTBEAT_EVERY", TimeSpan.FromSeconds(2)),
                WorkerPoll = ServiceOptions.DurationValue(result, poll, "SLUICE_WORKER_POLL", TimeSpan.FromSeconds(1)),
                Register = true,
                Listen = true,
                Log = ServiceOptions.Log,
                Status = ServiceOptions.Status,
            };
            var sluice = CommonOptions.From(result) with { Store = ServiceOptions.RequireStore(result, "worker") };
            await using var local = await LocalSluice.OpenAsync(sluice, migrate: false, services => services.AddSluiceOrchestration(false).AddSingleton(options));
            await Task.WhenAll(
                Task.Run(() => local.Get<WorkerLoop>().RunAsync(shutdown.Token), CancellationToken.None),
                Task.Run(() => local.Get<JobWorkerLoop>().RunAsync(shutdown.Token), CancellationToken.None));
            return ExitCodes.Success;
        });
        return command;
    }
}
