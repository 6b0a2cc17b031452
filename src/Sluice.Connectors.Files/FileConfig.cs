using System.Text.Json.Nodes;
using Sluice.Core.Batches;

namespace Sluice.Connectors.Files;

internal enum FileFormat { Csv, Jsonl, Parquet }

internal enum FileCompression { None, Gzip, Zstd, Auto }

/// <summary>The file connector's settings, read from a config already validated against the spec.</summary>
internal sealed record FileConfig
{
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;
    public const int DefaultInferRows = 1000;

    public required string Root { get; init; }
    public required string Path { get; init; }
    public required FileFormat Format { get; init; }
    public FileCompression Compression { get; init; } = FileCompression.Auto;
    public char Delimiter { get; init; } = ',';
    public bool Header { get; init; } = true;
    public bool InferTypes { get; init; } = true;
    public int InferRows { get; init; } = DefaultInferRows;
    public string? StreamName { get; init; }
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;
    public int BatchSize { get; init; } = RecordBatchBuilder.DefaultMaxRows;

    public static JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("root", "format"),
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["root"] = Text("Directory every path is confined to", minLength: 1),
            ["path"] = Text("File, folder or glob relative to root (e.g. orders/*.csv.gz); for a destination, the folder that receives one sub-folder per stream"),
            ["format"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("csv", "jsonl", "parquet"), ["description"] = "File format" },
            ["compression"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("none", "gzip", "zstd", "auto"), ["default"] = "auto", ["description"] = "auto: by file extension (.gz, .zst) when reading, none when writing" },
            ["delimiter"] = Text("CSV field delimiter, one character", minLength: 1, maxLength: 1),
            ["header"] = new JsonObject { ["type"] = "boolean", ["default"] = true, ["description"] = "CSV files start with a header row" },
            ["infer_types"] = new JsonObject { ["type"] = "boolean", ["default"] = true, ["description"] = "Infer CSV/JSONL column types from the first rows; false reads every column as string" },
            ["infer_rows"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["default"] = DefaultInferRows, ["description"] = "Rows sampled for type inference" },
            ["stream_name"] = Text("Source stream name; defaults to the file or folder name", minLength: 1),
            ["max_file_bytes"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["default"] = DefaultMaxFileBytes, ["description"] = "Destination part size before a new part file starts (uncompressed bytes for CSV/JSONL)" },
            ["batch_size"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 1_000_000, ["default"] = RecordBatchBuilder.DefaultMaxRows, ["description"] = "Rows per record batch when reading" },
        },
    };

    private static JsonObject Text(string description, int? minLength = null, int? maxLength = null)
    {
        var schema = new JsonObject { ["type"] = "string", ["description"] = description };
        if (minLength is not null)
            schema["minLength"] = minLength;
        if (maxLength is not null)
            schema["maxLength"] = maxLength;
        return schema;
    }

    public static FileConfig From(JsonObject config) => new()
    {
        Root = config["root"]!.GetValue<string>(),
        Path = config["path"]?.GetValue<string>() ?? "",
        Format = Enum.Parse<FileFormat>(config["format"]!.GetValue<string>(), ignoreCase: true),
        Compression = Enum.Parse<FileCompression>(config["compression"]?.GetValue<string>() ?? "auto", ignoreCase: true),
        Delimiter = (config["delimiter"]?.GetValue<string>() ?? ",")[0],
        Header = config["header"]?.GetValue<bool>() ?? true,
        InferTypes = config["infer_types"]?.GetValue<bool>() ?? true,
        InferRows = (int)(Integer(config["infer_rows"]) ?? DefaultInferRows),
        StreamName = config["stream_name"]?.GetValue<string>(),
        MaxFileBytes = Integer(config["max_file_bytes"]) ?? DefaultMaxFileBytes,
        BatchSize = (int)(Integer(config["batch_size"]) ?? RecordBatchBuilder.DefaultMaxRows),
    };

    /// <summary>An integer whichever CLR type the JSON node was built from (the schema has already checked its range).</summary>
    private static long? Integer(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The extension of the format itself: .csv, .jsonl, .parquet.</summary>
    public string FormatExtension => Format switch
    {
        FileFormat.Csv => ".csv",
        FileFormat.Jsonl => ".jsonl",
        _ => ".parquet",
    };
}
