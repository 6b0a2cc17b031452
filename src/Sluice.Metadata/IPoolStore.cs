using Sluice.Metadata.Orchestration;

namespace Sluice.Metadata;

/// <summary>Pools of task slots shared by every DAG; <c>default</c> always exists.</summary>
public interface IPoolStore
{
    Task<IReadOnlyList<PoolRecord>> ListAsync(CancellationToken cancellationToken = default);
    Task SetAsync(string name, int slots, CancellationToken cancellationToken = default);
}
