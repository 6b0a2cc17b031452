using Sluice.Core.Connectors;
using Sluice.Metadata;
using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Runtime;

/// <summary>A pool with how many of its slots queued and running tasks hold now.</summary>
public sealed record PoolUsage(string Name, int Slots, int Busy);

/// <summary>
/// What people do to pools, shared by the CLI and the API. Pools are shared by every DAG, so a pool that a DAG
/// still names cannot be deleted: its tasks would silently lose their limit.
/// </summary>
public sealed class PoolOperations(IMetadataStore store, DagCatalog catalog)
{
    public const int MaxSlots = 100_000;

    public async Task<IReadOnlyList<PoolUsage>> ListAsync(CancellationToken cancellationToken = default)
    {
        var busy = await store.Runs.BusyByPoolAsync(cancellationToken);
        return (await store.Pools.ListAsync(cancellationToken)).Select(p => new PoolUsage(p.Name, p.Slots, busy.GetValueOrDefault(p.Name))).ToList();
    }

    public async Task<PoolUsage> SetAsync(string name, int slots, CancellationToken cancellationToken = default)
    {
        if (!Names.IsValid(name))
            throw new ConfigException("name", $"'{name}' is not a valid pool name; {Names.Rule}");
        if (slots is < 0 or > MaxSlots)
            throw new ConfigException("slots", $"must be between 0 and {MaxSlots}, not {slots}", "0 stops the pool's tasks from being queued until it is raised again");
        await store.Pools.SetAsync(name, slots, cancellationToken);
        var busy = await store.Runs.BusyByPoolAsync(cancellationToken);
        return new PoolUsage(name, slots, busy.GetValueOrDefault(name));
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name == RunFactory.DefaultPool)
            throw new ConfigException("name", "the default pool cannot be deleted", "change its slots instead");
        if (!(await store.Pools.ListAsync(cancellationToken)).Any(p => p.Name == name))
            throw new NotFoundException("pool", name);
        var users = new List<string>();
        foreach (var dag in await store.Dags.ListAsync(cancellationToken))
        {
            var definition = await catalog.GetAsync(dag.Name, dag.CurrentVersion, cancellationToken);
            if (definition.Tasks.Any(t => t.Pool == name))
                users.Add(dag.Name);
        }

        if (users.Count > 0)
            throw new ConfigException("name", $"pool '{name}' is used by DAG(s) {string.Join(", ", users)}", "move their tasks to another pool and apply them first");
        if (!await store.Pools.DeleteAsync(name, cancellationToken))
            throw new NotFoundException("pool", name);
    }
}
