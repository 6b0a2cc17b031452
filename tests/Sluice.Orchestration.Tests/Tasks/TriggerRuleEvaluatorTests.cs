using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Tests.Tasks;

public sealed class TriggerRuleEvaluatorTests
{
    // Upstream states, one letter each: s success, f failed, u upstream_failed, k skipped,
    // r running, q queued, n none, y up_for_retry, x removed.
    private static IEnumerable<TaskState> States(string letters) => letters.Select(c => c switch
    {
        's' => TaskState.Success,
        'f' => TaskState.Failed,
        'u' => TaskState.UpstreamFailed,
        'k' => TaskState.Skipped,
        'r' => TaskState.Running,
        'q' => TaskState.Queued,
        'n' => TaskState.None,
        'y' => TaskState.UpForRetry,
        'x' => TaskState.Removed,
        _ => throw new ArgumentException(c.ToString()),
    });

    [Theory]
    [InlineData("all_success", "ss", TriggerAction.Run)]
    [InlineData("all_success", "sf", TriggerAction.UpstreamFailed)]
    [InlineData("all_success", "su", TriggerAction.UpstreamFailed)]
    [InlineData("all_success", "fr", TriggerAction.UpstreamFailed)]
    [InlineData("all_success", "sk", TriggerAction.Skip)]
    [InlineData("all_success", "kr", TriggerAction.Skip)]
    [InlineData("all_success", "sr", TriggerAction.Wait)]
    [InlineData("all_success", "sy", TriggerAction.Wait)]
    [InlineData("all_success", "nq", TriggerAction.Wait)]
    [InlineData("all_success", "sx", TriggerAction.Run)]
    [InlineData("all_failed", "ff", TriggerAction.Run)]
    [InlineData("all_failed", "fu", TriggerAction.Run)]
    [InlineData("all_failed", "fs", TriggerAction.Skip)]
    [InlineData("all_failed", "fk", TriggerAction.Skip)]
    [InlineData("all_failed", "fr", TriggerAction.Wait)]
    [InlineData("all_done", "sf", TriggerAction.Run)]
    [InlineData("all_done", "ku", TriggerAction.Run)]
    [InlineData("all_done", "sr", TriggerAction.Wait)]
    [InlineData("all_done", "fy", TriggerAction.Wait)]
    [InlineData("all_skipped", "kk", TriggerAction.Run)]
    [InlineData("all_skipped", "ks", TriggerAction.Skip)]
    [InlineData("all_skipped", "kf", TriggerAction.Skip)]
    [InlineData("all_skipped", "kr", TriggerAction.Wait)]
    [InlineData("one_success", "sr", TriggerAction.Run)]
    [InlineData("one_success", "sf", TriggerAction.Run)]
    [InlineData("one_success", "fr", TriggerAction.Wait)]
    [InlineData("one_success", "ff", TriggerAction.UpstreamFailed)]
    [InlineData("one_success", "fk", TriggerAction.UpstreamFailed)]
    [InlineData("one_success", "kk", TriggerAction.Skip)]
    [InlineData("one_failed", "fr", TriggerAction.Run)]
    [InlineData("one_failed", "ur", TriggerAction.Run)]
    [InlineData("one_failed", "sr", TriggerAction.Wait)]
    [InlineData("one_failed", "ss", TriggerAction.Skip)]
    [InlineData("one_failed", "sk", TriggerAction.Skip)]
    [InlineData("one_done", "sr", TriggerAction.Run)]
    [InlineData("one_done", "fr", TriggerAction.Run)]
    [InlineData("one_done", "kr", TriggerAction.Wait)]
    [InlineData("one_done", "kk", TriggerAction.Skip)]
    [InlineData("one_done", "uk", TriggerAction.Skip)]
    [InlineData("none_failed", "ss", TriggerAction.Run)]
    [InlineData("none_failed", "sk", TriggerAction.Run)]
    [InlineData("none_failed", "kk", TriggerAction.Run)]
    [InlineData("none_failed", "sf", TriggerAction.UpstreamFailed)]
    [InlineData("none_failed", "us", TriggerAction.UpstreamFailed)]
    [InlineData("none_failed", "sr", TriggerAction.Wait)]
    [InlineData("none_failed", "ky", TriggerAction.Wait)]
    [InlineData("none_failed_min_one_success", "sk", TriggerAction.Run)]
    [InlineData("none_failed_min_one_success", "kk", TriggerAction.Skip)]
    [InlineData("none_failed_min_one_success", "fs", TriggerAction.UpstreamFailed)]
    [InlineData("none_failed_min_one_success", "sr", TriggerAction.Wait)]
    [InlineData("none_skipped", "sf", TriggerAction.Run)]
    [InlineData("none_skipped", "fu", TriggerAction.Run)]
    [InlineData("none_skipped", "sk", TriggerAction.Skip)]
    [InlineData("none_skipped", "sr", TriggerAction.Wait)]
    public void Rule_decides_from_upstream_states(string ruleName, string upstream, TriggerAction expected)
    {
        Assert.True(TriggerRules.TryParse(ruleName, out var rule));
        var decision = TriggerRuleEvaluator.Evaluate(rule, States(upstream));
        Assert.Equal(expected, decision.Action);
        Assert.False(string.IsNullOrEmpty(decision.Reason));
    }

    [Fact]
    public void Every_rule_runs_a_task_without_upstream_tasks()
    {
        foreach (var rule in Enum.GetValues<TriggerRule>())
        {
            Assert.Equal(TriggerAction.Run, TriggerRuleEvaluator.Evaluate(rule, []).Action);
            Assert.Equal(TriggerAction.Run, TriggerRuleEvaluator.Evaluate(rule, States("x")).Action);
        }
    }

    [Fact]
    public void Every_rule_has_a_name_that_round_trips()
    {
        foreach (var rule in Enum.GetValues<TriggerRule>())
        {
            Assert.True(TriggerRules.TryParse(rule.ToName(), out var parsed));
            Assert.Equal(rule, parsed);
        }
    }

    [Fact]
    public void Decision_maps_to_the_target_state()
    {
        Assert.Equal(TaskState.Scheduled, TriggerRuleEvaluator.Evaluate(TriggerRule.AllSuccess, States("s")).TargetState);
        Assert.Equal(TaskState.UpstreamFailed, TriggerRuleEvaluator.Evaluate(TriggerRule.AllSuccess, States("f")).TargetState);
        Assert.Equal(TaskState.Skipped, TriggerRuleEvaluator.Evaluate(TriggerRule.AllSuccess, States("k")).TargetState);
        Assert.Null(TriggerRuleEvaluator.Evaluate(TriggerRule.AllSuccess, States("r")).TargetState);
    }
}
