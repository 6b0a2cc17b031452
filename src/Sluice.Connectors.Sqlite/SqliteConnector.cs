using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Sqlite;

/// <summary>SQLite database files as a source (tables and views) and a destination (one table per stream).</summary>
public sealed partial class SqliteConnector : ISource, IDestination, ISqlConnector, ICommittedStateDestination
{
    public string Name => "sqlite";

    public ConnectorSpec Spec() => new()
    {
        ConnectionSpecification = SqliteConfig.Schema(),
        DocumentationUrl = "https://sluice.dev/docs/connectors/sqlite",
        SupportsIncremental = true,
        SupportedDestinationSyncModes = [DestinationSyncMode.Overwrite, DestinationSyncMode.Append, DestinationSyncMode.AppendDedup],
    };

    public async ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        try
        {
            var settings = Parse(config);
            // A destination may point at a file it will create: check the folder instead of creating the file.
            if (!settings.Exists)
            {
                var directory = Path.GetDirectoryName(settings.Path)!;
                return Directory.Exists(directory)
                    ? CheckResult.Success
                    : CheckResult.Failed($"path: directory '{directory}' does not exist");
            }
            await using var connection = await settings.OpenReadOnlyAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            await command.ExecuteScalarAsync(cancellationToken);
            return CheckResult.Success;
        }
        catch (ConfigException e)
        {
            return CheckResult.Failed(e.Message);
        }
        catch (Exception e) when (e is ConnectorUnavailableException or SqliteException)
        {
            return CheckResult.Failed($"path: {e.Message}");
        }
    }

    public async ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        await using var connection = await settings.OpenReadOnlyAsync(cancellationToken);
        return await SqliteCatalogReader.DiscoverAsync(connection, cancellationToken);
    }

    public async IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        await using var connection = await settings.OpenReadOnlyAsync(cancellationToken);
        foreach (var stream in catalog.Streams)
            await foreach (var message in SqliteStreamReader.ReadAsync(connection, settings, stream, state.For(stream.Descriptor), cancellationToken))
                yield return message;
    }

    public async IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        await foreach (var checkpoint in SqliteWriter.WriteAsync(settings, catalog, messages, context, cancellationToken))
            yield return checkpoint;
    }

    public async Task<System.Data.Common.DbConnection> OpenSqlAsync(JsonObject config, CancellationToken cancellationToken) =>
        await Parse(config).OpenReadWriteAsync(cancellationToken);

    public Task<IReadOnlyDictionary<StreamDescriptor, CommittedState>> ReadCommittedStateAsync(JsonObject config, ConfiguredCatalog catalog,
        CancellationToken cancellationToken) =>
        SqliteStateTable.ReadAsync(Parse(config), catalog, cancellationToken);

    private SqliteConfig Parse(JsonObject config)
    {
        ConfigValidator.Validate(Spec(), config, Name);
        return SqliteConfig.From(config);
    }
}
