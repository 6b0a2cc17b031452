using Sluice.Core.Model;

namespace Sluice.Metadata;

public interface IWorkspaceStore
{
    /// <summary>The workspace named <see cref="Workspace.DefaultName"/>, created on first use.</summary>
    Task<Workspace> GetOrCreateDefaultAsync(CancellationToken cancellationToken = default);
    Task<Workspace> CreateAsync(string name, CancellationToken cancellationToken = default);
    Task<Workspace?> GetAsync(Guid id, CancellationToken cancellationToken = default);
    Task<Workspace?> FindByNameAsync(string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken = default);
}
