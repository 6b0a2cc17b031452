namespace Sluice.Cli.Tests.Conformance;

/// <summary>Files found relative to the repository root (the folder holding Sluice.slnx), not the test output.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared protocol reference beside the repo (as CI clones it), else the copy kept in the test tree.</summary>
    public static string ProtocolYaml
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "airbyte_protocol.yaml"));
            return File.Exists(shared) ? shared : Path.Combine(Root, "tests", "Sluice.Cli.Tests", "Conformance", "fixtures", "airbyte_protocol.yaml");
        }
    }

    public static string FakeConnector => Path.Combine(Root, "tests", "Sluice.Connectors.Tests", "Airbyte", "fixtures", "fake_connector.py");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no Sluice.slnx above {AppContext.BaseDirectory}");
    }
}
