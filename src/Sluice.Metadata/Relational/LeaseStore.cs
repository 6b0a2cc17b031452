using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>
/// The lease is one conditional UPDATE: it matches only when the caller already holds the row or the row has
/// expired, so two schedulers racing for an expired lease cannot both win (the row lock, or SQLite's single writer,
/// orders them and the second one no longer matches).
/// </summary>
internal sealed class LeaseStore(Database db) : ILeaseStore
{
    public Task<LeaseGrant?> TryAcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = db.Now();
            var expiresAt = now + duration;
            var token = await c.ExecuteScalarAsync<long?>(Command(
                """
                UPDATE scheduler_lease
                SET token = CASE WHEN holder = @holder THEN token ELSE token + 1 END, holder = @holder, expires_at = @expiresAt
                WHERE id = 1 AND (holder = @holder OR expires_at < @now)
                RETURNING token
                """, new { holder, now, expiresAt }, tx, cancellationToken));
            return token is { } t ? new LeaseGrant(holder, t, expiresAt) : null;
        }, cancellationToken);

    public Task ReleaseAsync(string holder, CancellationToken cancellationToken = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(Command("UPDATE scheduler_lease SET expires_at = @epoch WHERE id = 1 AND holder = @holder",
            new { holder, epoch = DateTimeOffset.UnixEpoch }, tx, cancellationToken)), cancellationToken);

    public Task<LeaseGrant> CurrentAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            var row = await QuerySingleAsync(c, Command("SELECT holder, token, expires_at FROM scheduler_lease WHERE id = 1", null, null, cancellationToken))
                ?? throw new InvalidOperationException("the scheduler_lease row is missing");
            return new LeaseGrant(row.String("holder"), row.Long("token"), row.Time("expires_at"));
        }, cancellationToken);
}
