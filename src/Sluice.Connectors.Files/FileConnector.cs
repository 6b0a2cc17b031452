using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Config;
using Sluice.Core.Connectors;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Files;

/// <summary>CSV, JSON lines and Parquet files under a root directory, optionally gzip or zstd compressed, as a
/// source (one file, folder or glob as one stream) and a destination (part files per stream).</summary>
public sealed class FileConnector : ISource, IDestination
{
    public string Name => "file";

    public ConnectorSpec Spec() => new()
    {
        ConnectionSpecification = FileConfig.Schema(),
        DocumentationUrl = "https://sluice.dev/docs/connectors/file",
        SupportedDestinationSyncModes = [DestinationSyncMode.Overwrite, DestinationSyncMode.Append],
    };

    public ValueTask<CheckResult> CheckAsync(JsonObject config, CancellationToken cancellationToken)
    {
        try
        {
            var settings = Parse(config);
            var root = RootedPath.Root(settings);
            var target = RootedPath.Resolve(root, settings.Path.IndexOfAny(['*', '?', '[']) >= 0 ? "" : settings.Path);
            // A destination folder may not exist yet; a source path must match files.
            if (File.Exists(target) || settings.Path.IndexOfAny(['*', '?', '[']) >= 0)
                FileSet.Resolve(settings);
            return ValueTask.FromResult(CheckResult.Success);
        }
        catch (ConfigException e)
        {
            return ValueTask.FromResult(CheckResult.Failed(e.Message));
        }
    }

    public async ValueTask<SourceCatalog> DiscoverAsync(JsonObject config, CancellationToken cancellationToken) =>
        await FileSource.DiscoverAsync(Parse(config), cancellationToken);

    public async IAsyncEnumerable<SourceMessage> ReadAsync(JsonObject config, ConfiguredCatalog catalog, SyncState state,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        await foreach (var message in FileSource.ReadAsync(settings, catalog, cancellationToken))
            yield return message;
    }

    public async IAsyncEnumerable<Checkpoint> WriteAsync(JsonObject config, ConfiguredCatalog catalog,
        IAsyncEnumerable<SourceMessage> messages, WriteContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = Parse(config);
        await foreach (var checkpoint in FileWriter.WriteAsync(settings, catalog, messages, context, cancellationToken))
            yield return checkpoint;
    }

    private FileConfig Parse(JsonObject config)
    {
        ConfigValidator.Validate(Spec(), config, Name);
        return FileConfig.From(config);
    }
}
