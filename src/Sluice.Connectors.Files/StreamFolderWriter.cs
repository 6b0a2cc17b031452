using System.Globalization;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Files;

/// <summary>
/// Writes one stream as part files <c>&lt;stream&gt;/part-00000.&lt;ext&gt;</c>, rolling to the next part at
/// max_file_bytes. A part is written under a hidden name and renamed when complete, so readers never see half a
/// part. Overwrite writes into a hidden temp folder that replaces the stream's folder when the stream completes;
/// append adds parts numbered after the existing ones.
/// </summary>
internal sealed partial class StreamFolderWriter(FileConfig config, string outputDirectory, ConfiguredStream stream, WriteContext context)
{
    private readonly string _name = RootedPath.FolderName(stream.TargetName);
    private readonly MetadataColumns _metadata = new(context);
    // Text formats write uncompressed unless told; Parquet compresses inside the file (auto: snappy).
    private readonly FileCompression _compression = config.Format != FileFormat.Parquet && config.Compression == FileCompression.Auto
        ? FileCompression.None : config.Compression;
    private string? _directory;
    private int _nextPart;
    private int _partsWritten;
    private IPartWriter? _part;
    private (string Temp, string Final) _partPaths;

    public bool Overwrites { get; } = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
    public bool Finished { get; private set; }
    private string Folder => RootedPath.Resolve(outputDirectory, _name, "path");

    public void Start()
    {
        if (_directory is not null)
            return;
        if (Overwrites)
        {
            _directory = Path.Combine(outputDirectory, $".{_name}.tmp-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_directory);
            return;
        }
        _directory = Folder;
        Directory.CreateDirectory(_directory);
        _nextPart = Directory.EnumerateFiles(_directory)
            .Select(f => PartNumber().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0).Max();
    }

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        Start();
        batch = _metadata.Append(batch);
        var row = 0;
        while (row < batch.Length)
        {
            if (_part is not null && !SameSchema(_part.Schema, batch.Schema))
                await ClosePartAsync(cancellationToken);
            _part ??= await OpenPartAsync(batch.Schema, cancellationToken);
            row = await _part.WriteAsync(batch, row, config.MaxFileBytes, cancellationToken);
            if (_part.Bytes >= config.MaxFileBytes)
                await ClosePartAsync(cancellationToken);
        }
    }

    /// <summary>Completes the open part so everything written so far is readable (append checkpoints).</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => ClosePartAsync(cancellationToken);

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        Start();
        await ClosePartAsync(cancellationToken);
        if (_partsWritten == 0)
        {
            // An empty stream still leaves a part holding its columns.
            _part = await OpenPartAsync(MetadataColumns.EmptySchema(stream), cancellationToken);
            await ClosePartAsync(cancellationToken);
        }
        if (Overwrites)
            Swap();
        Finished = true;
    }

    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        await ClosePartAsync(cancellationToken);
        if (Overwrites && _directory is not null && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        Finished = true;
    }

    /// <summary>Two renames: the old folder steps aside, the new one takes its name, then the old one is deleted.</summary>
    private void Swap()
    {
        var folder = Folder;
        if (Directory.Exists(folder))
        {
            var old = Path.Combine(outputDirectory, $".{_name}.old-{Guid.NewGuid():N}");
            Directory.Move(folder, old);
            Directory.Move(_directory!, folder);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(_directory!, folder);
        }
    }

    private async Task<IPartWriter> OpenPartAsync(Schema schema, CancellationToken cancellationToken)
    {
        var fileName = $"part-{_nextPart++:D5}{config.FormatExtension}{(config.Format == FileFormat.Parquet ? "" : Compression.Extension(_compression))}";
        _partPaths = (Path.Combine(_directory!, "." + fileName + ".tmp"), Path.Combine(_directory!, fileName));
        var file = new FileStream(_partPaths.Temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        return await IPartWriter.CreateAsync(config, _compression, file, schema, cancellationToken);
    }

    private async Task ClosePartAsync(CancellationToken cancellationToken)
    {
        if (_part is null)
            return;
        await _part.CompleteAsync(cancellationToken);
        _part = null;
        File.Move(_partPaths.Temp, _partPaths.Final);
        _partsWritten++;
    }

    private static bool SameSchema(Schema a, Schema b) =>
        a.FieldsList.Count == b.FieldsList.Count
        && a.FieldsList.Zip(b.FieldsList).All(p => p.First.Name == p.Second.Name && p.First.DataType.TypeId == p.Second.DataType.TypeId);

    [GeneratedRegex(@"^part-(\d+)\.")]
    private static partial Regex PartNumber();
}
