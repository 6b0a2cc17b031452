namespace Sluice.Metadata.Orchestration;

/// <summary>
/// A stored DAG: its name, whether it is paused, and which version of its definition is current. It belongs to the
/// workspace <see cref="WorkspaceId"/> (its runs and task instances with it); names are unique across workspaces.
/// </summary>
public sealed record DagRecord(string Name, bool Paused, int CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public Guid WorkspaceId { get; init; }
}

/// <summary>One version of a DAG's definition, as applied (YAML text). Versions are never changed, only added.</summary>
public sealed record DagVersionRecord(string Dag, int Version, string Definition, DateTimeOffset CreatedAt);

/// <summary>What applying a definition did: <see cref="Changed"/> is false when it equals the current version.</summary>
public sealed record DagApplyResult(DagRecord Dag, bool Created, bool Changed);
