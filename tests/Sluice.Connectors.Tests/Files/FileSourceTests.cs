using System.Text;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Sluice.Connectors.Files;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Connectors;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Files;

/// <summary>The source compliance suite for one format; each subclass writes the fixture file by hand.</summary>
public abstract class FileSourceTests(string format) : SourceCompliance, IDisposable
{
    protected readonly TempDirectory Root = new("sluice-files");

    protected override ISource CreateSource() => new FileConnector();

    protected override bool DiscoversPrimaryKey => false;

    protected JsonObject Config(string path) => new() { ["root"] = Root.Path, ["path"] = path, ["format"] = format };

    protected override async Task<JsonObject> CreateFixtureAsync(SampleTable fixture)
    {
        var file = $"{fixture.Name}.{format}";
        await WriteFixtureAsync(fixture, Root.Combine(file));
        return Config(file);
    }

    protected abstract Task WriteFixtureAsync(SampleTable fixture, string file);

    protected override (JsonObject Config, string Field) InvalidConfig() => (Config("../outside." + format), "path");

    protected override Task<(JsonObject Config, string MissingName)> MissingStreamAsync() =>
        Task.FromResult((Config("nope." + format), "nope." + format));

    public void Dispose() => Root.Dispose();
}

public sealed class CsvSourceTests() : FileSourceTests("csv")
{
    protected override Task WriteFixtureAsync(SampleTable fixture, string file)
    {
        var text = new StringBuilder(string.Join(',', fixture.Columns.Select(c => c.Name))).Append('\n');
        foreach (var row in fixture.TextRows())
            text.Append(string.Join(',', row.Select(v => v is null ? "" : v.IndexOfAny([',', '"', '\n']) >= 0 || v.Length == 0 ? $"\"{v.Replace("\"", "\"\"")}\"" : v))).Append('\n');
        return File.WriteAllTextAsync(file, text.ToString());
    }
}

public sealed class JsonlSourceTests() : FileSourceTests("jsonl")
{
    protected override Task WriteFixtureAsync(SampleTable fixture, string file)
    {
        var lines = fixture.Rows.Select(row =>
        {
            var obj = new JsonObject();
            for (var c = 0; c < fixture.Columns.Count; c++)
                obj[fixture.Columns[c].Name] = row[c] switch
                {
                    null => null,
                    long l => l,
                    double d => d,
                    bool b => b,
                    DateOnly d => d.ToString("yyyy-MM-dd"),
                    DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff"),
                    var v => v.ToString(),
                };
            return obj.ToJsonString();
        });
        return File.WriteAllLinesAsync(file, lines);
    }
}

public sealed class ParquetSourceTests() : FileSourceTests("parquet")
{
    protected override async Task WriteFixtureAsync(SampleTable fixture, string file)
    {
        DataField[] fields =
        [
            new DataField<long>("id"), new DataField<string>("name"), new DataField<double?>("amount"), new DataField<bool?>("active"),
            new DateTimeDataField("born", DateTimeFormat.Date, isNullable: true),
            new DateTimeDataField("updated_at", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DataField<string>("note"),
        ];
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, CancellationToken.None);
        using var group = writer.CreateRowGroup();
        var rows = fixture.Rows;
        await group.WriteAsync(fields[0], new ReadOnlyMemory<long>(rows.Select(r => (long)r[0]!).ToArray()), null, null, CancellationToken.None);
        await group.WriteAsync(fields[1], rows.Select(r => (string?)r[1]).ToArray(), null);
        await group.WriteAsync(fields[2], new ReadOnlyMemory<double?>(rows.Select(r => (double?)r[2]).ToArray()), null, null, CancellationToken.None);
        await group.WriteAsync(fields[3], new ReadOnlyMemory<bool?>(rows.Select(r => (bool?)r[3]).ToArray()), null, null, CancellationToken.None);
        await group.WriteAsync(fields[4], new ReadOnlyMemory<DateTime?>(rows.Select(r => r[4] is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : (DateTime?)null).ToArray()), null, null, CancellationToken.None);
        await group.WriteAsync(fields[5], new ReadOnlyMemory<DateTime?>(rows.Select(r => (DateTime?)r[5]).ToArray()), null, null, CancellationToken.None);
        await group.WriteAsync(fields[6], rows.Select(r => (string?)r[6]).ToArray(), null);
    }

    protected override LogicalType ExpectedType(Sluice.Core.Catalog.ColumnSchema column) => column.Type;
}
