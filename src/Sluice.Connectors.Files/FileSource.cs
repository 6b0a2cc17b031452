using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Core.Catalog;
using Sluice.Core.Messages;
using Sluice.Core.State;

namespace Sluice.Connectors.Files;

/// <summary>Discovers and reads the one stream a file source config names: all its files, in path order.</summary>
internal static class FileSource
{
    public static async Task<SourceCatalog> DiscoverAsync(FileConfig config, CancellationToken cancellationToken)
    {
        var files = FileSet.Resolve(config);
        var columns = await IFormatReader.For(config).InferAsync(files, cancellationToken);
        return new SourceCatalog([new StreamSchema { Descriptor = new StreamDescriptor(files.StreamName), Columns = columns }]);
    }

    public static async IAsyncEnumerable<SourceMessage> ReadAsync(FileConfig config, ConfiguredCatalog catalog,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = FileSet.Resolve(config);
        var stream = catalog.Streams.FirstOrDefault(s => s.Stream.Name == files.StreamName);
        if (stream is null)
            yield break;
        var columns = stream.ReadColumns();
        var reader = IFormatReader.For(config);
        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Started);
        yield return new EstimateMessage(stream.Descriptor, null, files.Files.Sum(f => new FileInfo(f).Length));
        long rows = 0;
        foreach (var file in files.Files)
        {
            await foreach (var batch in reader.ReadAsync(file, columns, cancellationToken))
            {
                rows += batch.Length;
                yield return new RecordBatchMessage(stream.Descriptor, batch);
            }
        }
        yield return new CheckpointMessage(new Checkpoint(stream.Descriptor, new JsonObject { ["files"] = files.Files.Count, ["rows"] = rows }));
        yield return new StreamStatusMessage(stream.Descriptor, StreamStatus.Complete);
    }
}
