using Dapper;
using Sluice.Metadata.Relational;
using Sluice.Testing;

namespace Sluice.Metadata.Tests;

/// <summary>The compliance suite on a fresh database of the shared throwaway PostgreSQL server per test.</summary>
public sealed class PostgresMetadataStoreTests : MetadataStoreCompliance
{
    private static int _created;

    protected override string ExpectedDialect => "postgres";

    /// <summary>Alternates between the URL form and the Npgsql form, so that both go through the factory.</summary>
    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateDatabaseAsync("meta");
        return Interlocked.Increment(ref _created) % 2 == 0
            ? server.ConnectionString(database)
            : $"postgres://{PostgresServer.User}:{Uri.EscapeDataString(PostgresServer.Password)}@{server.Host}:{server.Port}/{database}?Timeout=15";
    }

    [Fact]
    public async Task The_task_queue_statements_run_on_connections_that_plan_them_once_and_the_rest_keep_the_default()
    {
        await using var dialect = new PostgresDialect(await CreateDatabaseAsync());
        await using (var queue = await dialect.OpenQueueAsync(CancellationToken.None))
            Assert.Equal("force_generic_plan", await queue.ExecuteScalarAsync<string>("SHOW plan_cache_mode"));
        await using (var other = await dialect.OpenAsync(CancellationToken.None))
            Assert.Equal("auto", await other.ExecuteScalarAsync<string>("SHOW plan_cache_mode"));
    }
}
