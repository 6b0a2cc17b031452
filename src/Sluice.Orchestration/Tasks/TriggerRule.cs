namespace Sluice.Orchestration.Tasks;

/// <summary>When a task runs, given how its upstream tasks ended (Airflow's trigger rules).</summary>
public enum TriggerRule
{
    AllSuccess,
    AllFailed,
    AllDone,
    AllSkipped,
    OneSuccess,
    OneFailed,
    OneDone,
    NoneFailed,
    NoneFailedMinOneSuccess,
    NoneSkipped,
}

public static class TriggerRules
{
    private static readonly Dictionary<string, TriggerRule> ByName = new(StringComparer.Ordinal)
    {
        ["all_success"] = TriggerRule.AllSuccess,
        ["all_failed"] = TriggerRule.AllFailed,
        ["all_done"] = TriggerRule.AllDone,
        ["all_skipped"] = TriggerRule.AllSkipped,
        ["one_success"] = TriggerRule.OneSuccess,
        ["one_failed"] = TriggerRule.OneFailed,
        ["one_done"] = TriggerRule.OneDone,
        ["none_failed"] = TriggerRule.NoneFailed,
        ["none_failed_min_one_success"] = TriggerRule.NoneFailedMinOneSuccess,
        ["none_skipped"] = TriggerRule.NoneSkipped,
    };

    /// <summary>The names accepted in YAML, in a stable order for error messages.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    public static bool TryParse(string name, out TriggerRule rule) => ByName.TryGetValue(name, out rule);

    public static string ToName(this TriggerRule rule) => ByName.First(p => p.Value == rule).Key;
}
