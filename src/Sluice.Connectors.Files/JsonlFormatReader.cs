using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Files;

/// <summary>
/// JSON lines: one object per line; columns are the keys in order of first appearance over the sampled lines.
/// Types: only true/false → boolean; only integers → int64; numbers → float64 (bigdecimal when one has more
/// than 15 significant digits or exceeds int64); only strings → inferred like CSV
/// text but never numeric (date, timestamp, timestamptz, else string); objects, arrays or mixed kinds → json.
/// </summary>
internal sealed class JsonlFormatReader(FileConfig config) : IFormatReader
{
    private enum Kind { None = 0, Boolean = 1, Integer = 2, Number = 4, Text = 8, Structure = 16, BigNumber = 32 }

    public async Task<IReadOnlyList<ColumnSchema>> InferAsync(FileSet files, CancellationToken cancellationToken)
    {
        var kinds = new Dictionary<string, Kind>();
        var texts = new Dictionary<string, TypeInference>();
        var order = new List<string>();
        var rows = 0;
        foreach (var file in files.Files)
        {
            using var reader = OpenText(file);
            while (rows < config.InferRows && await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                rows++;
                foreach (var (key, value) in Parse(line, file, rows))
                {
                    if (!kinds.ContainsKey(key))
                    {
                        order.Add(key);
                        kinds[key] = Kind.None;
                        texts[key] = new TypeInference { TextOnly = true };
                    }
                    var kind = KindOf(value);
                    kinds[key] |= kind;
                    if (kind == Kind.Text)
                        texts[key].Observe(value!.GetValue<string>());
                }
            }
            if (rows >= config.InferRows)
                break;
        }
        return order.Select(name => new ColumnSchema(name, config.InferTypes ? TypeOf(kinds[name], texts[name]) : LogicalType.String)).ToList();
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string file, IReadOnlyList<ColumnSchema> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = OpenText(file);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var row = Parse(line, file, lineNumber);
            for (var c = 0; c < columns.Count; c++)
            {
                var value = row[columns[c].Name];
                try
                {
                    builder.AppendValue(c, value is JsonValue && columns[c].Type.Kind is LogicalKind.String && value.GetValueKind() != JsonValueKind.String ? value.ToJsonString() : value);
                }
                catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{file}, line {lineNumber}, key '{columns[c].Name}': {value?.ToJsonString()} is not a valid {columns[c].Type} ({e.Message})", e);
                }
            }
            builder.EndRow();
            if (builder.IsFull)
                yield return builder.Flush();
        }
        if (builder.RowCount > 0)
            yield return builder.Flush();
    }

    private static JsonObject Parse(string line, string file, long lineNumber)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException($"{file}, line {lineNumber}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}, line {lineNumber}: invalid JSON ({e.Message})", e);
        }
    }

    private static Kind KindOf(JsonNode? value) => value switch
    {
        null => Kind.None,
        JsonObject or JsonArray => Kind.Structure,
        _ => value.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => Kind.Boolean,
            JsonValueKind.Number => value.ToJsonString() switch
            {
                var n when long.TryParse(n, out _) => Kind.Integer,
                var n when TypeInference.SignificantDigits(n) <= TypeInference.MaxDoubleDigits => Kind.Number,
                _ => Kind.BigNumber,
            },
            JsonValueKind.String => Kind.Text,
            _ => Kind.None,
        },
    };

    private static LogicalType TypeOf(Kind kinds, TypeInference texts) => kinds switch
    {
        Kind.None => LogicalType.String,
        Kind.Boolean => LogicalType.Boolean,
        Kind.Integer => LogicalType.Int64,
        Kind.Number or (Kind.Integer | Kind.Number) => LogicalType.Float64,
        _ when (kinds & ~(Kind.Integer | Kind.Number | Kind.BigNumber)) == 0 => LogicalType.BigDecimal,
        Kind.Text => texts.Result(),
        _ => LogicalType.Json,
    };

    private StreamReader OpenText(string file) =>
        new(Compression.OpenRead(file, config.Compression), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
