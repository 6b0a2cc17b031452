using Sluice.Metadata;
using Sluice.Metadata.Orchestration;

namespace Sluice.Orchestration.Runtime;

/// <summary>One process of the registry as the workers list shows it: <see cref="Alive"/> judges silence, not just the stored state.</summary>
public sealed record ClusterMember(
    string Id, string Host, int Pid, int Slots, IReadOnlyList<string> Queues, IReadOnlyDictionary<string, string> Labels, int RunningTasks,
    int RunningSyncJobs, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, string State, bool Alive);

/// <summary>The scheduler lease: who acts, with which fencing token, until when; and the schedulers standing by.</summary>
public sealed record SchedulerLeaseView(string? Active, long Token, DateTimeOffset ExpiresAt, bool Expired, IReadOnlyList<ClusterMember> Standbys);

/// <summary>What <c>sluice workers list</c> and <c>GET /api/v1/workers</c> show.</summary>
public sealed record ClusterView(IReadOnlyList<ClusterMember> Workers, SchedulerLeaseView Scheduler, IReadOnlyList<ClusterMember> Schedulers)
{
    /// <summary>A process silent for this long is shown as not alive, whatever it last said.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(15);

    public static async Task<ClusterView> ReadAsync(IMetadataStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = (await store.Workers.ListAsync(cancellationToken)).Select(w => Member(w, now)).ToList();
        var lease = await store.Lease.CurrentAsync(cancellationToken);
        var expired = lease.ExpiresAt <= now || lease.Holder.Length == 0;
        var schedulers = all.Where(m => m.Kind == WorkerRecord.SchedulerKind).Select(m => m.Member).ToList();
        var standbys = schedulers.Where(s => s.Alive && s.State == WorkerRecord.Active && (expired || s.Id != lease.Holder)).ToList();
        return new ClusterView(
            all.Where(m => m.Kind == WorkerRecord.WorkerKind).Select(m => m.Member).ToList(),
            new SchedulerLeaseView(expired ? null : lease.Holder, lease.Token, lease.ExpiresAt, expired, standbys),
            schedulers);
    }

    private static (string Kind, ClusterMember Member) Member(WorkerRecord w, DateTimeOffset now) =>
        (w.Kind, new ClusterMember(w.Id, w.Host, w.Pid, w.Slots, w.Queues, w.Labels, w.RunningTasks, w.RunningSyncJobs, w.StartedAt, w.LastHeartbeat, w.State,
            w.State != WorkerRecord.Stopped && now - w.LastHeartbeat < SilentAfter));
}
