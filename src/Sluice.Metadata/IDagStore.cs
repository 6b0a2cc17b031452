using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>DAGs and their version history. Every change of definition is a new version; old ones stay readable.</summary>
public interface IDagStore
{
    /// <summary>
    /// Creates the DAG (version 1) in <paramref name="workspaceId"/> or adds a version when <paramref name="definition"/>
    /// differs from the current one. A DAG of that name in another workspace is a <see cref="DuplicateNameException"/>.
    /// </summary>
    Task<DagApplyResult> ApplyAsync(Guid workspaceId, string name, string definition, CancellationToken cancellationToken = default);
    /// <summary>As <see cref="ApplyAsync(Guid, string, string, CancellationToken)"/> while the DAG is at <paramref name="expectedVersion"/>.</summary>
    Task<DagApplyResult> ApplyAsync(Guid workspaceId, string name, string definition, int expectedVersion, CancellationToken cancellationToken = default);
    /// <summary>Creates the DAG (version 1) in the default workspace or adds a version when <paramref name="definition"/> differs from the current one.</summary>
    Task<DagApplyResult> ApplyAsync(string name, string definition, CancellationToken cancellationToken = default);
    /// <summary>
    /// As <see cref="ApplyAsync(string, string, CancellationToken)"/>, but only while the DAG's current version is
    /// <paramref name="expectedVersion"/>; otherwise throws <see cref="ConcurrencyException"/> (or <see cref="NotFoundException"/>).
    /// </summary>
    Task<DagApplyResult> ApplyAsync(string name, string definition, int expectedVersion, CancellationToken cancellationToken = default);
    Task<DagRecord?> GetAsync(string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<DagRecord>> ListAsync(CancellationToken cancellationToken = default);
    /// <summary>One page by name, after <paramref name="afterName"/>, of every workspace.</summary>
    Task<IReadOnlyList<DagRecord>> ListAsync(int limit, string? afterName, CancellationToken cancellationToken = default);
    /// <summary>One page by name, after <paramref name="afterName"/>, of the DAGs of <paramref name="workspaceId"/>.</summary>
    Task<IReadOnlyList<DagRecord>> ListAsync(Guid workspaceId, int limit, string? afterName, CancellationToken cancellationToken = default);
    Task<DagVersionRecord?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<DagVersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken = default);
    /// <summary>Returns false when the DAG does not exist.</summary>
    Task<bool> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken = default);
}
