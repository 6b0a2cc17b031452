namespace Sluice.Orchestration.Runtime;

/// <summary>The states of a DAG run as stored: queued (waiting for max_active_runs), running, then success or failed.</summary>
public static class RunStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";

    public static readonly string[] Active = [Queued, Running];

    public static bool IsFinished(string state) => state is Success or Failed;
}

/// <summary>Why a run exists.</summary>
public static class RunTypes
{
    public const string Scheduled = "scheduled";
    public const string Manual = "manual";
    public const string Backfill = "backfill";
    public const string Event = "event";
}
