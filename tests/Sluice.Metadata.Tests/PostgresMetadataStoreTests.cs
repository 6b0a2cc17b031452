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
}
