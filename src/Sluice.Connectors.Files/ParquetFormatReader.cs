using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Parquet;
using Parquet.Schema;
using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;
using BigDecimal = Parquet.Data.BigDecimal;

namespace Sluice.Connectors.Files;

/// <summary>
/// Parquet files, typed from their schema (decimal, date, timestamp with its UTC flag...). Reads one row group at
/// a time and cuts it into batches, so memory is bounded by the largest row group, never the file. Sluice's own
/// logical types (json, uuid...) come back from the file's <c>sluice.types</c> metadata when it has it.
/// </summary>
internal sealed class ParquetFormatReader(FileConfig config) : IFormatReader
{
    private static readonly ParquetOptions Options = new() { UseBigDecimal = true, UseDateOnlyTypeForDates = false };

    public async Task<IReadOnlyList<ColumnSchema>> InferAsync(FileSet files, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(files.Files[0]);
        await using var reader = await ParquetReader.CreateAsync(stream, Options, leaveStreamOpen: false, cancellationToken);
        var declared = ParquetTypes.DeclaredTypes(reader.CustomMetadata);
        return TopLevel(reader.Schema).Select(f => new ColumnSchema(f.Name,
            declared.TryGetValue(f.Name, out var type) ? type : ParquetTypes.LogicalTypeOf(f), f.IsNullable)).ToList();
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string file, IReadOnlyList<ColumnSchema> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream, Options, leaveStreamOpen: false, cancellationToken);
        var fields = TopLevel(reader.Schema).ToDictionary(f => f.Name);
        var builder = new RecordBatchBuilder(columns, config.BatchSize);
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var values = new Func<int, object?>[columns.Count];
            for (var c = 0; c < columns.Count; c++)
                values[c] = fields.TryGetValue(columns[c].Name, out var field)
                    ? await ReadColumnAsync(rowGroup, field, count, cancellationToken)
                    : _ => null;
            for (var row = 0; row < count; row++)
            {
                for (var c = 0; c < columns.Count; c++)
                    builder.AppendValue(c, Convert(columns[c].Type, values[c](row)));
                builder.EndRow();
                if (builder.IsFull)
                    yield return builder.Flush();
            }
        }
        if (builder.RowCount > 0)
            yield return builder.Flush();
    }

    /// <summary>Flat columns only: nested (list, map, struct) columns are not read.</summary>
    private static IEnumerable<DataField> TopLevel(ParquetSchema schema) => schema.Fields.OfType<DataField>();

    private static object? Convert(LogicalType type, object? value) => value switch
    {
        BigDecimal big => DecimalText(big.UnscaledValue, big.Scale),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        long micros when type.Kind == LogicalKind.Time => TimeSpan.FromTicks(micros * 10),
        DateTime local when local.Kind == DateTimeKind.Local => local.ToUniversalTime(),
        DateTime date when type.Kind == LogicalKind.TimestampTz => new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)),
        _ => value,
    };

    public static string DecimalText(BigInteger unscaled, int scale)
    {
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale == 0 ? digits : $"{digits[..^scale]}.{digits[^scale..]}";
        return unscaled.Sign < 0 ? "-" + text : text;
    }

    private static async Task<Func<int, object?>> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await rowGroup.ReadAsync(field, strings.AsMemory(), null, cancellationToken);
            return row => strings[row];
        }
        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[]?[count];
            await rowGroup.ReadAsync(field, bytes.AsMemory(), null, cancellationToken);
            return row => bytes[row];
        }
        return type switch
        {
            _ when type == typeof(bool) => await ReadAsync<bool>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(sbyte) => await ReadAsync<sbyte>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(short) => await ReadAsync<short>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(int) => await ReadAsync<int>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(long) => await ReadAsync<long>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(byte) => await ReadAsync<byte>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(ushort) => await ReadAsync<ushort>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(uint) => await ReadAsync<uint>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(ulong) => await ReadAsync<ulong>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(float) => await ReadAsync<float>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(double) => await ReadAsync<double>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(decimal) => await ReadAsync<decimal>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(BigDecimal) => await ReadAsync<BigDecimal>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(DateTime) => await ReadAsync<DateTime>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(DateOnly) => await ReadAsync<DateOnly>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(TimeSpan) => await ReadAsync<TimeSpan>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(TimeOnly) => await ReadAsync<TimeOnly>(rowGroup, field, count, cancellationToken),
            _ when type == typeof(Guid) => await ReadAsync<Guid>(rowGroup, field, count, cancellationToken),
            _ => throw new InvalidDataException($"parquet column '{field.Name}' has type {type.Name}, which Sluice does not read"),
        };
    }

    private static async Task<Func<int, object?>> ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var required = new T[count];
            await rowGroup.ReadAsync(field, required.AsMemory(), null, cancellationToken);
            return row => required[row];
        }
        var values = new T?[count];
        await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken);
        return row => values[row];
    }
}
