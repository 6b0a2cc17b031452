using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed class PoolStore(Database db) : IPoolStore
{
    public Task<IReadOnlyList<PoolRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<PoolRecord>>(async c => (await QueryAsync(c, Command("SELECT name, slots FROM pools ORDER BY name", null, null, cancellationToken)))
            .Select(r => new PoolRecord(r.String("name"), r.Int("slots"))).ToList(), cancellationToken);

    public Task SetAsync(string name, int slots, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        return db.WriteAsync((c, tx) => c.ExecuteAsync(Command(
            "INSERT INTO pools (name, slots) VALUES (@name, @slots) ON CONFLICT (name) DO UPDATE SET slots = excluded.slots",
            new { name, slots }, tx, cancellationToken)), cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteAsync(Command("DELETE FROM pools WHERE name = @name", new { name }, tx, cancellationToken)) > 0, cancellationToken);
}
