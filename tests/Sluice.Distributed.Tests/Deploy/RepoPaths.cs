namespace Sluice.Distributed.Tests.Deploy;

internal static class RepoPaths
{
    /// <summary>The repository root, found upwards from the test binaries (the folder with Sluice.slnx).</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
                    return dir.FullName;
            throw new InvalidOperationException($"no Sluice.slnx above {AppContext.BaseDirectory}");
        }
    }

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);
}
