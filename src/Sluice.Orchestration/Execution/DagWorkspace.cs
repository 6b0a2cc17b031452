using Sluice.Metadata;

namespace Sluice.Orchestration.Execution;

/// <summary>The workspace a DAG's tasks act in: where their connections, sources and destinations are looked up.</summary>
public static class DagWorkspace
{
    public static async Task<Guid> OfAsync(IMetadataStore store, string dag, CancellationToken cancellationToken) =>
        await store.Dags.GetAsync(dag, cancellationToken) is { WorkspaceId: var id } && id != Guid.Empty
            ? id
            // A task of a DAG deleted under it (or of a test's ad-hoc context) acts in the default workspace, as all DAGs once did.
            : (await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken)).Id;
}
