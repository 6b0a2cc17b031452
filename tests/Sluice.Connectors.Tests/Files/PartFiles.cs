using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Sluice.Connectors.Tests.Compliance;

namespace Sluice.Connectors.Tests.Files;

/// <summary>Reads a stream folder's part files back with plain parsers (not the connector's readers), for assertions.</summary>
internal static class PartFiles
{
    public static IEnumerable<string> Parts(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f).StartsWith("part-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];

    public static async Task<WrittenTable?> ReadAsync(string folder, string format)
    {
        if (!Directory.Exists(folder))
            return null;
        var columns = new List<string>();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var part in Parts(folder))
        {
            var (partColumns, partRows) = format switch
            {
                "csv" => ReadCsv(part),
                "jsonl" => ReadJsonl(part),
                _ => await ReadParquetAsync(part),
            };
            columns.AddRange(partColumns.Where(c => !columns.Contains(c)));
            rows.AddRange(partRows);
        }
        return new WrittenTable(columns, rows);
    }

    public static Stream Open(string file)
    {
        Stream stream = File.OpenRead(file);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
            return new GZipStream(stream, CompressionMode.Decompress);
        if (file.EndsWith(".zst", StringComparison.Ordinal))
            return new ZstdSharp.DecompressionStream(stream);
        return stream;
    }

    private static (List<string>, List<IReadOnlyDictionary<string, object?>>) ReadCsv(string file)
    {
        using var reader = new StreamReader(Open(file), Encoding.UTF8);
        var records = ParseCsv(reader.ReadToEnd());
        var header = records[0].Select(f => f!).ToList();
        var rows = records.Skip(1).Select(r => (IReadOnlyDictionary<string, object?>)header.Select((h, i) => (h, (object?)r[i])).ToDictionary(p => p.h, p => p.Item2)).ToList();
        return (header, rows);
    }

    /// <summary>RFC 4180 in a few lines: quoted fields with "" escapes and line breaks; unquoted empty = null.</summary>
    public static List<List<string?>> ParseCsv(string text)
    {
        var records = new List<List<string?>>();
        var record = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !quoted)
            {
                quoted = true;
                i++;
                while (!(text[i] == '"' && (i + 1 >= text.Length || text[i + 1] != '"')))
                {
                    field.Append(text[i]);
                    i += text[i] == '"' ? 2 : 1;
                }
                i++;
                continue;
            }
            if (c is ',' or '\r' or '\n')
            {
                record.Add(quoted || field.Length > 0 ? field.ToString() : null);
                field.Clear();
                quoted = false;
                if (c != ',')
                {
                    records.Add(record);
                    record = [];
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                        i++;
                }
                i++;
                continue;
            }
            field.Append(c);
            i++;
        }
        return records;
    }

    private static (List<string>, List<IReadOnlyDictionary<string, object?>>) ReadJsonl(string file)
    {
        using var reader = new StreamReader(Open(file), Encoding.UTF8);
        var columns = new List<string>();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.ReadLine() is { } line)
        {
            var obj = JsonNode.Parse(line)!.AsObject();
            columns.AddRange(obj.Select(p => p.Key).Where(k => !columns.Contains(k)));
            rows.Add(obj.ToDictionary(p => p.Key, p => (object?)p.Value));
        }
        return (columns, rows);
    }

    private static async Task<(List<string>, List<IReadOnlyDictionary<string, object?>>)> ReadParquetAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseBigDecimal = true }, false, CancellationToken.None);
        var fields = reader.Schema.DataFields;
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var columns = new List<Func<int, object?>>();
            foreach (var field in fields)
                columns.Add(await ReadColumnAsync(group, field, count));
            for (var r = 0; r < count; r++)
                rows.Add(fields.Select((f, c) => (f.Name, columns[c](r))).ToDictionary(p => p.Name, p => p.Item2));
        }
        return (fields.Select(f => f.Name).ToList(), rows);
    }

    private static async Task<Func<int, object?>> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[count];
            await group.ReadAsync(field, values.AsMemory());
            return i => values[i];
        }
        if (field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>))
        {
            var values = new byte[]?[count];
            await group.ReadAsync(field, values.AsMemory());
            return i => values[i];
        }
        var t = field.ClrType;
        if (t == typeof(bool)) return await Read<bool>(group, field, count);
        if (t == typeof(int)) return await Read<int>(group, field, count);
        if (t == typeof(long)) return await Read<long>(group, field, count);
        if (t == typeof(double)) return await Read<double>(group, field, count);
        if (t == typeof(DateTime)) return await Read<DateTime>(group, field, count);
        if (t == typeof(DateOnly)) return await Read<DateOnly>(group, field, count);
        if (t == typeof(TimeSpan)) return await Read<TimeSpan>(group, field, count);
        if (t == typeof(TimeOnly)) return await Read<TimeOnly>(group, field, count);
        if (t == typeof(Parquet.Data.BigDecimal))
        {
            var big = await Read<Parquet.Data.BigDecimal>(group, field, count);
            return i => big(i) is Parquet.Data.BigDecimal b ? Sluice.Connectors.Tests.Files.PartFiles.DecimalText(b) : null;
        }
        if (t == typeof(decimal)) return await Read<decimal>(group, field, count);
        throw new NotSupportedException($"test reader: parquet {t.Name}");
    }

    private static async Task<Func<int, object?>> Read<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync(field, values.AsMemory());
        return i => values[i];
    }

    public static string DecimalText(Parquet.Data.BigDecimal value)
    {
        var digits = System.Numerics.BigInteger.Abs(value.UnscaledValue).ToString().PadLeft(value.Scale + 1, '0');
        var text = value.Scale == 0 ? digits : $"{digits[..^value.Scale]}.{digits[^value.Scale..]}";
        return value.UnscaledValue.Sign < 0 ? "-" + text : text;
    }
}
