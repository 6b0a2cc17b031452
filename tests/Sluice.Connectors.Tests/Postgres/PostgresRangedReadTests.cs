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
}
