using System.IO.Compression;

namespace Sluice.Connectors.Files;

/// <summary>Opens files through gzip (System.IO.Compression) or zstd (ZstdSharp) as their compression says.</summary>
internal static class Compression
{
    public static Stream OpenRead(string file, FileCompression configured)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return FileSet.CompressionOf(file, configured) switch
        {
            FileCompression.Gzip => new GZipStream(stream, CompressionMode.Decompress),
            FileCompression.Zstd => new ZstdSharp.DecompressionStream(stream, leaveOpen: false),
            _ => stream,
        };
    }

    /// <summary>Wraps a part file's stream in the configured compressor; disposing the result closes the file.</summary>
    public static Stream Wrap(Stream file, FileCompression compression) => compression switch
    {
        FileCompression.Gzip => new GZipStream(file, CompressionLevel.Fastest),
        FileCompression.Zstd => new ZstdSharp.CompressionStream(file, 3, leaveOpen: false),
        _ => file,
    };

    public static string Extension(FileCompression compression) => compression switch
    {
        FileCompression.Gzip => ".gz",
        FileCompression.Zstd => ".zst",
        _ => "",
    };
}
