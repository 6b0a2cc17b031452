using System.Text.RegularExpressions;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Files;

/// <summary>
/// The files a source config names, read as one stream: a single file, every file of the format directly in a
/// folder, or a glob (<c>*</c> and <c>?</c> within a segment, <c>**</c> across segments). Hidden files and files
/// starting with '_' (the destination's unfinished parts) are skipped. Files are read in ordinal path order.
/// </summary>
internal sealed record FileSet(string Root, IReadOnlyList<string> Files, string StreamName)
{
    public static FileSet Resolve(FileConfig config)
    {
        var root = RootedPath.Root(config);
        var relative = config.Path.Replace('\\', '/');
        List<string> files;
        string defaultName;
        if (relative.IndexOfAny(['*', '?', '[']) >= 0)
        {
            var segments = relative.Split('/');
            var fixedCount = segments.TakeWhile(s => s.IndexOfAny(['*', '?', '[']) < 0).Count();
            var baseDir = RootedPath.Resolve(root, string.Join('/', segments.Take(fixedCount)));
            var pattern = Glob(string.Join('/', segments.Skip(fixedCount)));
            files = Directory.Exists(baseDir)
                ? Directory.EnumerateFiles(baseDir, "*", SearchOption.AllDirectories)
                    .Where(f => pattern.IsMatch(Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
                    .Where(IsVisible).ToList()
                : [];
            defaultName = baseDir == root ? StripExtensions(segments[^1].Replace("*", "").Replace("?", "")) : Path.GetFileName(baseDir);
        }
        else
        {
            var full = RootedPath.Resolve(root, relative);
            if (Directory.Exists(full))
            {
                files = Directory.EnumerateFiles(full).Where(IsVisible).Where(f => HasFormat(f, config)).ToList();
                defaultName = full == root ? "" : Path.GetFileName(full);
            }
            else
            {
                files = File.Exists(full) ? [full] : [];
                defaultName = StripExtensions(Path.GetFileName(full));
            }
        }
        if (files.Count == 0)
            throw new ConfigException("path", $"no {config.FormatExtension.TrimStart('.')} files match '{config.Path}' under '{root}'", "check path and format");
        foreach (var file in files)
            RootedPath.CheckLink(root, file);
        files.Sort(StringComparer.Ordinal);
        var name = config.StreamName ?? (defaultName.Length > 0 ? defaultName : StripExtensions(Path.GetFileName(files[0])));
        return new FileSet(root, files, name);
    }

    /// <summary>The compression of a file: the configured one, or by extension when auto.</summary>
    public static FileCompression CompressionOf(string file, FileCompression configured) => configured != FileCompression.Auto
        ? configured
        : Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".gz" or ".gzip" => FileCompression.Gzip,
            ".zst" or ".zstd" => FileCompression.Zstd,
            _ => FileCompression.None,
        };

    private static bool IsVisible(string file) => Path.GetFileName(file) is var name && !name.StartsWith('.') && !name.StartsWith('_');

    private static bool HasFormat(string file, FileConfig config)
    {
        var name = Path.GetFileName(file).ToLowerInvariant();
        foreach (var suffix in new[] { ".gz", ".gzip", ".zst", ".zstd" })
            if (name.EndsWith(suffix, StringComparison.Ordinal))
                name = name[..^suffix.Length];
        return name.EndsWith(config.FormatExtension, StringComparison.Ordinal)
            || (config.Format == FileFormat.Jsonl && (name.EndsWith(".ndjson", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)))
            || (config.Format == FileFormat.Csv && (name.EndsWith(".tsv", StringComparison.Ordinal) || name.EndsWith(".txt", StringComparison.Ordinal)));
    }

    private static string StripExtensions(string fileName)
    {
        var dot = fileName.IndexOf('.');
        return dot <= 0 ? fileName : fileName[..dot];
    }

    private static Regex Glob(string pattern)
    {
        var regex = Regex.Escape(pattern)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + regex + "$", RegexOptions.CultureInvariant);
    }
}
