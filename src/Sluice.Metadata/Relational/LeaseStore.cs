using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

/// <summary>
/// The lease is one conditional UPDATE: it matches only when the caller already holds the row or the row has
/// expired, so two schedulers racing for an expired lease cannot both win (the row lock, or SQLite's single writer,
/// orders them and the second one no longer matches).
/// On PostgreSQL it is a single statement outside any transaction: no row lock is held between round trips (a
/// scheduler frozen mid-renewal cannot block the standbys), and a refused try learns in the same round trip when the
/// lease runs out. Times are the store's clock (<see cref="Database.Now"/>), like every other timestamp of the store.
/// </summary>
internal sealed class LeaseStore(Database db) : ILeaseStore
{
    private const string PostgresAcquire =
        """
        WITH taken AS (
            UPDATE scheduler_lease
            SET token = CASE WHEN holder = @holder THEN token ELSE token + 1 END, holder = @holder,
                expires_at = @expiresAt
            WHERE id = 1 AND (holder = @holder OR expires_at < @now)
            RETURNING token, expires_at)
        SELECT 1::bigint AS granted, token, expires_at, 0::float8 AS held_for FROM taken
        UNION ALL
        SELECT 0::bigint, token, expires_at, GREATEST(extract(epoch FROM expires_at - @now), 0)::float8
        FROM scheduler_lease WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM taken)
        """;

    public async Task<LeaseGrant?> TryAcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        (await AcquireAsync(holder, duration, cancellationToken)).Grant;

    public Task<LeaseAttempt> AcquireAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        db.Dialect.Name == "postgres" ? AcquireOnPostgresAsync(holder, duration, cancellationToken) : AcquireInTransactionAsync(holder, duration, cancellationToken);

    private Task<LeaseAttempt> AcquireOnPostgresAsync(string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        db.ReadAsync(async c =>
        {
            var now = db.Now();
            var row = await QuerySingleAsync(c, Command(PostgresAcquire, new { holder, now, expiresAt = now + duration }, null, cancellationToken))
                ?? throw new InvalidOperationException("the scheduler_lease row is missing");
            return row.Long("granted") == 1
                ? new LeaseAttempt(new LeaseGrant(holder, row.Long("token"), row.Time("expires_at")), TimeSpan.Zero)
                : new LeaseAttempt(null, TimeSpan.FromSeconds(row.Double("held_for")));
        }, cancellationToken);

    private Task<LeaseAttempt> AcquireInTransactionAsync(string holder, TimeSpan duration, CancellationToken cancellationToken) =>
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
            if (token is { } t)
                return new LeaseAttempt(new LeaseGrant(holder, t, expiresAt), TimeSpan.Zero);
            var row = await QuerySingleAsync(c, Command("SELECT expires_at FROM scheduler_lease WHERE id = 1", null, tx, cancellationToken));
            var left = row is { } lease ? lease.Time("expires_at") - now : TimeSpan.Zero;
            return new LeaseAttempt(null, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }, cancellationToken);

    public Task ReleaseAsync(string holder, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync(Command("UPDATE scheduler_lease SET expires_at = @epoch WHERE id = 1 AND holder = @holder",
                    new { holder, epoch = DateTimeOffset.UnixEpoch }, tx, cancellationToken)) > 0)
                await db.Dialect.NotifyAsync(c, tx, StoreChannels.Scheduler, StoreChannels.LeaseReleased, cancellationToken);
        }, cancellationToken);

    public Task<LeaseGrant> CurrentAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c =>
        {
            var row = await QuerySingleAsync(c, Command("SELECT holder, token, expires_at FROM scheduler_lease WHERE id = 1", null, null, cancellationToken))
                ?? throw new InvalidOperationException("the scheduler_lease row is missing");
            return new LeaseGrant(row.String("holder"), row.Long("token"), row.Time("expires_at"));
        }, cancellationToken);
}
