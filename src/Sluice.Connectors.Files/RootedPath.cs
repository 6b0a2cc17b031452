using Sluice.Core.Connectors;

namespace Sluice.Connectors.Files;

/// <summary>
/// Keeps every path inside the configured root: relative paths with <c>..</c> that climb out, absolute paths
/// elsewhere and symbolic links pointing outside are refused, so a connection cannot read or write arbitrary files.
/// </summary>
internal static class RootedPath
{
    public static string Root(FileConfig config)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(config.Root));
        if (!Directory.Exists(root))
            throw new ConfigException("root", $"directory '{root}' does not exist", "create it or point root at an existing directory");
        return root;
    }

    /// <summary>The full path of <paramref name="relative"/> under the root, or a ConfigException naming <paramref name="field"/>.</summary>
    public static string Resolve(string root, string relative, string field = "path")
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, relative)));
        if (!IsInside(root, full))
            throw new ConfigException(field, $"'{relative}' is outside the root directory '{root}'", "use a path relative to root without '..' segments that leave it");
        return full;
    }

    public static bool IsInside(string root, string full) =>
        full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Refuses a file that is a link to somewhere outside the root.</summary>
    public static void CheckLink(string root, string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is null)
            return;
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        if (target is not null && !IsInside(root, Path.GetFullPath(target)))
            throw new ConfigException("path", $"'{file}' links to '{target}', outside the root directory '{root}'");
    }

    /// <summary>A stream name made safe as one folder name: no separators, no '.' or '..'.</summary>
    public static string FolderName(string streamName)
    {
        var name = string.Concat(streamName.Select(c => c is '/' or '\\' or '\0' ? '_' : c));
        return name is "" or "." or ".." ? "_" + name : name;
    }
}
