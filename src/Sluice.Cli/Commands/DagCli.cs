using Sluice.Metadata;
using Sluice.Orchestration.Runtime;

namespace Sluice.Cli.Commands;

/// <summary>The store and DAG operations for the dags and runs commands (no scheduler: a running server picks changes up).</summary>
internal static class DagCli
{
    public static DagOperations Operations(LocalSluice local)
    {
        var store = local.Get<IMetadataStore>();
        return new DagOperations(store, new DagCatalog(store), TimeProvider.System);
    }

    public static string State(string state) => state switch
    {
        "success" => "[green]success[/]",
        "failed" or "upstream_failed" => $"[red]{state}[/]",
        "running" => "[blue]running[/]",
        "queued" or "scheduled" => $"[yellow]{state}[/]",
        "up_for_retry" => "[darkorange]up_for_retry[/]",
        _ => state,
    };

    public static string Time(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "-";
}
