namespace Sluice.Orchestration.Tasks;

/// <summary>How a task's upstream tasks stand, counted by outcome (removed upstreams do not count).</summary>
public readonly record struct UpstreamCounts(int Total, int Success, int Failed, int UpstreamFailed, int Skipped)
{
    public static UpstreamCounts From(IEnumerable<TaskState> upstreamStates)
    {
        int total = 0, success = 0, failed = 0, upstreamFailed = 0, skipped = 0;
        foreach (var state in upstreamStates)
        {
            // A removed upstream no longer exists in the definition, so it neither blocks nor triggers.
            if (state == TaskState.Removed)
            {
                continue;
            }

            total++;
            switch (state)
            {
                case TaskState.Success: success++; break;
                case TaskState.Failed: failed++; break;
                case TaskState.UpstreamFailed: upstreamFailed++; break;
                case TaskState.Skipped: skipped++; break;
            }
        }

        return new UpstreamCounts(total, success, failed, upstreamFailed, skipped);
    }

    public int Done => Success + Failed + UpstreamFailed + Skipped;

    public bool AllDone => Done == Total;

    /// <summary>Failed or upstream_failed: both count as a failure for the rules.</summary>
    public int AnyFailed => Failed + UpstreamFailed;
}
