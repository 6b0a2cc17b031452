using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Npgsql;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Postgres;

/// <summary>PostgreSQL as a source (binary COPY out to Arrow batches) and as a destination (binary COPY in, staged swaps).</summary>
public sealed partial class PostgresConnector : ISource, IDestination, ICommittedStateDestination, ISqlConnector
{
    public const string ConnectorName = "postgres";
    internal static readonly ConnectorSpec SpecInstance = PostgresSpec.Create();

    public string Name => ConnectorName;

    public ConnectorSpec Spec() => SpecInstance;

    public async ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        try
        {
            var settings = PostgresConfig.Parse(config);
            await using var connection = await PostgresErrors.OpenAsync(settings, cancellationToken, "sluice-check");
            if (config.ContainsKey("schemas"))
            {
                var missing = await PostgresDiscovery.MissingSchemasAsync(connection, settings.Schemas, cancellationToken);
                if (missing.Count > 0)
                    return CheckResult.Failed($"schemas: {string.Join(", ", missing.Select(s => $"'{s}'"))} not found in database '{settings.Database}'; check schemas");
            }
            return CheckResult.Success;
        }
        catch (ConfigException e)
        {
            return CheckResult.Failed(e.Message);
        }
        catch (ConnectorUnavailableException e)
        {
            return CheckResult.Failed(e.Message);
        }
        catch (NpgsqlException e)
        {
            return CheckResult.Failed(e.Message);
        }
    }

    public async Task<System.Data.Common.DbConnection> OpenSqlAsync(JsonObject config, CancellationToken cancellationToken) =>
        await PostgresErrors.OpenAsync(PostgresConfig.Parse(config), cancellationToken, "sluice-sql-task");

    public async ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var settings = PostgresConfig.Parse(config);
        await using var connection = await PostgresErrors.OpenAsync(settings, cancellationToken, "sluice-discover");
        return await PostgresDiscovery.DiscoverAsync(connection, settings.Schemas, cancellationToken);
    }

    public async IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = PostgresConfig.Parse(config);
        await using var connection = await PostgresErrors.OpenAsync(settings, cancellationToken, "sluice-read");
        // Text forms Sluice relies on: ISO 8601 intervals, UTC for any timestamp rendered as text (cursor values).
        await PostgresTable.ExecuteAsync(connection, "SET intervalstyle = 'iso_8601'; SET timezone = 'UTC'", cancellationToken);
        foreach (var stream in catalog.Streams)
            await foreach (var message in PostgresReader.ReadStreamAsync(connection, stream, state.For(stream.Descriptor), settings, cancellationToken))
                yield return message;
    }

    public IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog, IAsyncEnumerable<SourceMessage> messages,
        WriteContext context, CancellationToken cancellationToken) =>
        PostgresWriter.WriteAsync(PostgresConfig.Parse(config), catalog, messages, context, cancellationToken);

    public Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadCommittedStateAsync(JsonObject config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken) =>
        PostgresStateTable.ReadAsync(PostgresConfig.Parse(config), catalog, cancellationToken);
}
