using System.CommandLine;
using Sluice.Core.Model;
using Sluice.Metadata;
using Sluice.Metadata.Orchestration;
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

    /// <summary>The <c>--workspace</c> option of every dags command (as <c>?workspace=</c> in the API): default "default".</summary>
    public static Option<string> WorkspaceOption(string description) => new("--workspace", "-w")
    {
        Description = description,
        DefaultValueFactory = _ => Workspace.DefaultName,
    };

    /// <summary>The workspace named by <c>--workspace</c>; an unknown name is an error naming the option.</summary>
    public static async Task<Workspace> WorkspaceAsync(IMetadataStore store, string name, CancellationToken cancellationToken) =>
        name == Workspace.DefaultName
            ? await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken)
            : await store.Workspaces.FindByNameAsync(name, cancellationToken)
              ?? throw new Sluice.Core.Connectors.ConfigException("--workspace", $"there is no workspace '{name}'",
                  "create it first (POST /api/v1/workspaces) or leave --workspace out for the default workspace");

    /// <summary>
    /// The DAG <paramref name="name"/> of <paramref name="workspace"/>. DAG names are unique across workspaces, so a DAG of
    /// another workspace is refused with the option that would reach it, as the API answers 404 outside its workspace.
    /// </summary>
    public static async Task<DagRecord> DagAsync(IMetadataStore store, Workspace workspace, string name, CancellationToken cancellationToken)
    {
        var dag = await store.Dags.GetAsync(name, cancellationToken) ?? throw new NotFoundException("dag", name);
        if (dag.WorkspaceId == workspace.Id)
            return dag;
        var owner = await store.Workspaces.GetAsync(dag.WorkspaceId, cancellationToken);
        throw new Sluice.Core.Connectors.ConfigException("--workspace", $"dag '{name}' is not in workspace '{workspace.Name}'",
            owner is null ? "name the workspace the DAG was applied to" : $"pass --workspace {owner.Name}");
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
