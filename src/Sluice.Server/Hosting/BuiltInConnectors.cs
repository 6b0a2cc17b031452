using Sluice.Connectors.Airbyte;
using Sluice.Connectors.DuckDb;
using Sluice.Connectors.Files;
using Sluice.Connectors.MySql;
using Sluice.Connectors.Postgres;
using Sluice.Connectors.Sample;
using Sluice.Connectors.Sqlite;
using Sluice.Core.Connectors;

namespace Sluice.Server.Hosting;

/// <summary>The connectors that ship with Sluice, and the fast paths between them.</summary>
public static class BuiltInConnectors
{
    public static ConnectorRegistry Registry() => new(
    [
        new SampleSource(),
        new PostgresConnector(),
        new MySqlDatabaseConnector(),
        new SqliteConnector(),
        new DuckDbConnector(),
        new FileConnector(),
        new AirbyteConnector(),
    ]);

    public static IReadOnlyList<IDirectTransfer> DirectTransfers() => [new PostgresDirectTransfer()];
}
