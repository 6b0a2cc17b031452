using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>Pools of task slots shared by every DAG; <c>default</c> always exists.</summary>
public interface IPoolStore
{
    Task<IReadOnlyList<PoolRecord>> ListAsync(CancellationToken cancellationToken = default);
    Task SetAsync(string name, int slots, CancellationToken cancellationToken = default);
    /// <summary>False when there is no such pool.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
