namespace Sluice.Orchestration.Tasks;

/// <summary>
/// Decides what a task's trigger rule implies, from its upstream tasks' states. Follows Airflow's
/// trigger_rule_dep: a rule that can no longer be met is settled at once (e.g. all_success turns
/// upstream_failed as soon as one upstream fails, without waiting for the others).
/// </summary>
public static class TriggerRuleEvaluator
{
    public static TriggerDecision Evaluate(TriggerRule rule, IEnumerable<TaskState> upstreamStates) =>
        Evaluate(rule, UpstreamCounts.From(upstreamStates));

    public static TriggerDecision Evaluate(TriggerRule rule, UpstreamCounts c)
    {
        if (c.Total == 0)
        {
            return Run("no upstream tasks");
        }

        return rule switch
        {
            TriggerRule.AllSuccess =>
                c.AnyFailed > 0 ? Fail("an upstream task failed")
                : c.Skipped > 0 ? Skip("an upstream task was skipped")
                : c.Success == c.Total ? Run("all upstream tasks succeeded")
                : Wait(c),
            TriggerRule.AllFailed =>
                c.Success + c.Skipped > 0 ? Skip("an upstream task succeeded or was skipped")
                : c.AnyFailed == c.Total ? Run("all upstream tasks failed")
                : Wait(c),
            TriggerRule.AllDone =>
                c.AllDone ? Run("all upstream tasks are done") : Wait(c),
            TriggerRule.AllSkipped =>
                c.Success + c.AnyFailed > 0 ? Skip("an upstream task was not skipped")
                : c.Skipped == c.Total ? Run("all upstream tasks were skipped")
                : Wait(c),
            TriggerRule.OneSuccess =>
                c.Success > 0 ? Run("an upstream task succeeded")
                : !c.AllDone ? Wait(c)
                : c.Skipped == c.Total ? Skip("all upstream tasks were skipped")
                : Fail("no upstream task succeeded"),
            TriggerRule.OneFailed =>
                c.AnyFailed > 0 ? Run("an upstream task failed")
                : c.AllDone ? Skip("no upstream task failed")
                : Wait(c),
            TriggerRule.OneDone =>
                c.Success + c.Failed > 0 ? Run("an upstream task succeeded or failed")
                : c.AllDone ? Skip("no upstream task succeeded or failed")
                : Wait(c),
            TriggerRule.NoneFailed =>
                c.AnyFailed > 0 ? Fail("an upstream task failed")
                : c.AllDone ? Run("no upstream task failed")
                : Wait(c),
            TriggerRule.NoneFailedMinOneSuccess =>
                c.AnyFailed > 0 ? Fail("an upstream task failed")
                : c.Skipped == c.Total ? Skip("all upstream tasks were skipped")
                : c.AllDone ? Run("no upstream task failed and at least one succeeded")
                : Wait(c),
            TriggerRule.NoneSkipped =>
                c.Skipped > 0 ? Skip("an upstream task was skipped")
                : c.AllDone ? Run("no upstream task was skipped")
                : Wait(c),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown trigger rule"),
        };
    }

    private static TriggerDecision Run(string reason) => new(TriggerAction.Run, reason);

    private static TriggerDecision Skip(string reason) => new(TriggerAction.Skip, reason);

    private static TriggerDecision Fail(string reason) => new(TriggerAction.UpstreamFailed, reason);

    private static TriggerDecision Wait(UpstreamCounts c) =>
        new(TriggerAction.Wait, $"waiting for {c.Total - c.Done} of {c.Total} upstream tasks");
}
