using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.MySql;

/// <summary>
/// The <c>mysql</c> connector: MySQL 5.7+/8.x and MariaDB 10.x+ as a source (full refresh, incremental by cursor)
/// and as a destination (overwrite by atomic table swap, append, deduped modes by merge), through MySqlConnector.
/// </summary>
public sealed partial class MySqlDatabaseConnector : ISource, IDestination, ISqlConnector, ICommittedStateDestination
{
    private static readonly ConnectorSpec SpecInstance = MySqlSpec.Create();

    public string Name => "mysql";

    public ConnectorSpec Spec() => SpecInstance;

    public async ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        MySqlConfig parsed;
        try
        {
            parsed = Parse(config);
        }
        catch (ConfigException e)
        {
            return CheckResult.Failed(e.Message);
        }
        try
        {
            await using var connection = await MySqlErrors.OpenAsync(parsed, forWriting: false, cancellationToken);
            await MySqlDdl.ExecuteAsync(connection, "select 1", cancellationToken);
            return CheckResult.Success;
        }
        catch (ConnectorUnavailableException e)
        {
            return CheckResult.Failed(e.Message);
        }
        catch (MySqlConnector.MySqlException e)
        {
            return CheckResult.Failed(MySqlErrors.Describe(e, parsed));
        }
    }

    public async ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var parsed = Parse(config);
        await using var connection = await MySqlErrors.OpenAsync(parsed, forWriting: false, cancellationToken);
        return await MySqlDiscovery.DiscoverAsync(connection, parsed.Database, cancellationToken);
    }

    public IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state, CancellationToken cancellationToken)
    {
        // Validated before the first MoveNext, so a bad config fails the call itself, not the first read.
        var parsed = Parse(config);
        return new MySqlReader(parsed).ReadAsync(catalog, state, cancellationToken);
    }

    public IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog, IAsyncEnumerable<SourceMessage> messages,
        WriteContext context, CancellationToken cancellationToken)
    {
        var parsed = Parse(config);
        return new MySqlWriter(parsed).WriteAsync(catalog, messages, context, cancellationToken);
    }

    public async Task<System.Data.Common.DbConnection> OpenSqlAsync(JsonObject config, CancellationToken cancellationToken) =>
        await MySqlErrors.OpenAsync(Parse(config), forWriting: false, cancellationToken);

    public Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadCommittedStateAsync(JsonObject config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken) =>
        MySqlStateTable.ReadAsync(Parse(config), catalog, cancellationToken);

    private MySqlConfig Parse(JsonObject config) => MySqlConfig.Parse(config, SpecInstance, Name);
}
