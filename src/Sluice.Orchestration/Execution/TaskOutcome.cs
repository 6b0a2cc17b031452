namespace Sluice.Orchestration.Execution;

public enum TaskOutcomeStatus
{
    Success,
    Failed,

    /// <summary>Killed because it ran longer than the task's timeout; retried like a failure.</summary>
    TimedOut,

    /// <summary>The task decided there was nothing to do.</summary>
    Skipped,
}

/// <summary>How one attempt ended. The scheduler turns it into success, up_for_retry, failed or skipped.</summary>
public sealed record TaskOutcome(TaskOutcomeStatus Status, string? Message = null, int? ExitCode = null)
{
    public bool IsSuccess => Status == TaskOutcomeStatus.Success;

    public static TaskOutcome Succeeded(string? message = null, int? exitCode = null) => new(TaskOutcomeStatus.Success, message, exitCode);

    public static TaskOutcome Failed(string message, int? exitCode = null) => new(TaskOutcomeStatus.Failed, message, exitCode);

    public static TaskOutcome TimedOut(TimeSpan timeout) => new(TaskOutcomeStatus.TimedOut, $"timed out after {Durations.Format(timeout)}");
}
