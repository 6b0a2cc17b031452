using Sluice.Connectors.Postgres;
using Sluice.Connectors.Tests.Compliance;

namespace Sluice.Connectors.Tests.Postgres;

/// <summary>
/// The PostgreSQL source against the ranged-read checks every SQL source passes: ranges of exactly checkpoint_rows in
/// key order (a boundary found in the key's text order gave ranges of any size, sorting every remaining row each time).
/// </summary>
public sealed class PostgresRangedReadTests
{
    [Fact]
    public async Task Reads_in_key_ranges_and_resumes_after_the_last_committed_one()
    {
        var db = await PostgresTestDb.CreateAsync("ranged");
        await RangedReadChecks.ResumesAfterTheLastRangeAsync(new PostgresConnector(), db.Config(), sql => db.ExecuteAsync(sql).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Incremental_syncs_by_a_unicode_text_cursor_keep_ties_at_the_boundary()
    {
        var db = await PostgresTestDb.CreateAsync("textcursor");
        await RangedReadChecks.SyncsByCursorAsync(new PostgresConnector(), db.Config(), sql => db.ExecuteAsync(sql).GetAwaiter().GetResult(), "text",
            ["'naïve'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvety'"]);
    }

    /// <summary>uuid has no max() in PostgreSQL; its upper-case spelling is the same value, so it ties.</summary>
    [Fact]
    public async Task Incremental_syncs_by_a_uuid_cursor_keep_ties_at_the_boundary()
    {
        var db = await PostgresTestDb.CreateAsync("uuidcursor");
        await RangedReadChecks.SyncsByCursorAsync(new PostgresConnector(), db.Config(), sql => db.ExecuteAsync(sql).GetAwaiter().GetResult(), "uuid",
            ["'a0000000-0000-4000-8000-000000000001'", "'b0000000-0000-4000-8000-000000000002'", "'B0000000-0000-4000-8000-000000000002'",
             "'b0000000-0000-4000-8000-000000000002'", "'c0000000-0000-4000-8000-000000000003'"]);
    }

    /// <summary>Into PostgreSQL, whose dedup merge compares the text cursors itself (ON CONFLICT ... WHERE t.n &lt;= EXCLUDED.n).</summary>
    [Fact]
    public async Task Incremental_syncs_by_text_into_postgres_dedup_by_the_same_order()
    {
        var db = await PostgresTestDb.CreateAsync("textcursorpg");
        var destination = await PostgresTestDb.CreateAsync("textcursordest");
        var into = new RangedReadChecks.Target(new PostgresConnector(), destination.Config(),
            table => destination.RowsAsync($"select id || ' ' || note from \"{table}\" order by id, note").GetAwaiter().GetResult());
        await RangedReadChecks.SyncsByCursorAsync(new PostgresConnector(), db.Config(), sql => db.ExecuteAsync(sql).GetAwaiter().GetResult(), "text",
            ["'naïve'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvely 🐍'", "'naïvety'"], into);
    }

    [Fact]
    public async Task Checkpoints_come_by_time_inside_a_range_and_resume_exactly()
    {
        var db = await PostgresTestDb.CreateAsync("bytime");
        await RangedReadChecks.CheckpointsByTimeInsideARangeAsync(new PostgresConnector(), db.Config(), sql => db.ExecuteAsync(sql).GetAwaiter().GetResult());
    }
}
