using System.Text.Json.Nodes;

namespace Sluice.Connectors.Airbyte;

/// <summary>
/// A private temp folder holding the files an Airbyte connector reads (config, catalog, state). For Docker it is
/// mounted at <see cref="DockerMount"/>, so the paths passed to the connector differ from the host paths.
/// </summary>
internal sealed class ProtocolFiles : IDisposable
{
    public const string DockerMount = "/tmp/sluice";
    private readonly bool _docker;

    public ProtocolFiles(bool docker)
    {
        _docker = docker;
        Directory = Path.Combine(Path.GetTempPath(), "sluice-airbyte-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    /// <summary>Writes a file and returns the path the connector sees.</summary>
    public string Write(string name, JsonNode content)
    {
        File.WriteAllText(Path.Combine(Directory, name), content.ToJsonString());
        return _docker ? $"{DockerMount}/{name}" : Path.Combine(Directory, name);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
