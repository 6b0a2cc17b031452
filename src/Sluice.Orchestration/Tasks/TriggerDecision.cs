namespace Sluice.Orchestration.Tasks;

public enum TriggerAction
{
    /// <summary>Not decidable yet: some upstream task has not finished.</summary>
    Wait,

    /// <summary>Schedule the task.</summary>
    Run,

    /// <summary>Mark the task skipped without running it.</summary>
    Skip,

    /// <summary>Mark the task upstream_failed without running it.</summary>
    UpstreamFailed,
}

/// <summary>What the trigger rule says about a task, and why (shown in the UI).</summary>
public readonly record struct TriggerDecision(TriggerAction Action, string Reason)
{
    /// <summary>The state to move the task to, or null for <see cref="TriggerAction.Wait"/>.</summary>
    public TaskState? TargetState => Action switch
    {
        TriggerAction.Run => TaskState.Scheduled,
        TriggerAction.Skip => TaskState.Skipped,
        TriggerAction.UpstreamFailed => TaskState.UpstreamFailed,
        _ => null,
    };
}
