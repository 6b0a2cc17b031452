using System.Text.Json.Nodes;
using Sluice.Connectors.Files;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Tests.Files;

/// <summary>The destination compliance suite for one format of the file connector.</summary>
public abstract class FileDestinationTests(string format, string compression = "none") : DestinationCompliance, IDisposable
{
    protected readonly TempDirectory Root = new("sluice-files");

    protected override IDestination CreateDestination() => new FileConnector();

    protected override JsonObject FreshConfig() => new()
    {
        ["root"] = Root.Path,
        ["path"] = "out",
        ["format"] = format,
        ["compression"] = compression,
    };

    protected override (JsonObject Config, string Field) InvalidConfig() =>
        (new JsonObject { ["root"] = Root.Path, ["path"] = "../escape", ["format"] = format }, "path");

    protected override Task<WrittenTable?> ReadBackAsync(JsonObject config, ConfiguredStream stream) =>
        PartFiles.ReadAsync(Root.Combine("out", stream.TargetName), format);

    protected override bool EmptyTargetKeepsColumns => format != "jsonl";

    public void Dispose() => Root.Dispose();
}

public sealed class CsvDestinationTests() : FileDestinationTests("csv");

public sealed class JsonlDestinationTests() : FileDestinationTests("jsonl");

public sealed class ParquetDestinationTests() : FileDestinationTests("parquet");

public sealed class GzipCsvDestinationTests() : FileDestinationTests("csv", "gzip");

public sealed class ZstdJsonlDestinationTests() : FileDestinationTests("jsonl", "zstd");
