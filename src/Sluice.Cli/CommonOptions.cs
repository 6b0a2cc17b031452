using System.CommandLine;
using Sluice.Server.Hosting;

namespace Sluice.Cli;

/// <summary>Options shared by the commands that use the metadata store.</summary>
public static class CommonOptions
{
    public static readonly Option<string> DataDir = new("--data-dir")
    {
        Description = "Directory for Sluice's metadata and local files",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLUICE_DATA_DIR") ?? ".sluice",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Metadata store: a SQLite path or postgres://user:pass@host:port/db (default: SQLite in the data dir; env SLUICE_STORE)",
        Recursive = true,
    };

    public static SluiceOptions From(ParseResult result, int port = 8000, bool demo = false, bool runJobs = false) => new()
    {
        DataDir = Path.GetFullPath(result.GetValue(DataDir)!),
        Store = result.GetValue(Store),
        Port = port,
        CreateDemo = demo,
        RunJobs = runJobs,
    };
}
