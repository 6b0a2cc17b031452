using Sluice.Core.Catalog;
using Sluice.Core.Types;
using static Sluice.Connectors.Postgres.PostgresIdentifiers;

namespace Sluice.Connectors.Postgres;

/// <summary>How one column is read out of binary COPY: the SELECT expression and the typed read that matches it.</summary>
internal enum ReadKind { Boolean, Int16, Int32, Int64, Float32, Float64, Numeric, Text, Bytes, Date, Time, TimeTz, Timestamp }

internal sealed record PostgresColumnRead(ColumnSchema Column, string Expression, ReadKind Kind)
{
    /// <summary>
    /// Fixed-width types and numeric(p,s) are read in their binary form (numeric straight into decimal128's unscaled
    /// integer); unconstrained numeric, uuid, json, interval (iso_8601 session style), enums, citext and unknown types
    /// travel as text by rule, their UTF-8 bytes copied as they come; arrays as JSON text.
    /// </summary>
    public static PostgresColumnRead For(ColumnSchema column)
    {
        var name = Quote(column.Name);
        return column.Type.Kind switch
        {
            LogicalKind.Boolean => new(column, name, ReadKind.Boolean),
            LogicalKind.Int16 => new(column, name, ReadKind.Int16),
            LogicalKind.Int32 => new(column, name, ReadKind.Int32),
            LogicalKind.Int64 => new(column, name, ReadKind.Int64),
            LogicalKind.Float32 => new(column, name, ReadKind.Float32),
            LogicalKind.Float64 => new(column, name, ReadKind.Float64),
            LogicalKind.Decimal => new(column, name, ReadKind.Numeric),
            LogicalKind.Binary => new(column, name, ReadKind.Bytes),
            LogicalKind.Date => new(column, name, ReadKind.Date),
            LogicalKind.Time => new(column, name, ReadKind.Time),
            LogicalKind.TimeTz => new(column, name, ReadKind.TimeTz),
            LogicalKind.Timestamp or LogicalKind.TimestampTz => new(column, name, ReadKind.Timestamp),
            LogicalKind.Array => new(column, $"to_json({name})::text", ReadKind.Text),
            _ => new(column, name + "::text", ReadKind.Text),
        };
    }

    /// <summary>
    /// The read of <paramref name="column"/> with <paramref name="mapping"/> computed in the SELECT, or null when
    /// PostgreSQL cannot compute it exactly as the engine does. A rename names the batch's column (the SELECT is unchanged); a mask is a constant for non-NULL
    /// values; a hash is SHA-256 of the UTF-8 bytes of the very text the engine would hash, which PostgreSQL renders
    /// identically only for values read as text (strings, enums, uuid, json, arrays, interval, unconstrained numeric),
    /// integers and booleans. Dates, timestamps, floats, numeric(p,s) and bytea are rendered differently (ISO 'T',
    /// shortest doubles, base64), so their hashes stay in the engine.
    /// </summary>
    public static PostgresColumnRead? For(ColumnSchema column, ColumnMapping mapping)
    {
        var read = For(column);
        var text = column with { Type = LogicalType.String, NativeType = null };
        // No AS alias: COPY output has no names, and an alias would capture ORDER BY of the key ranges.
        return mapping.Kind switch
        {
            ColumnMappingKind.Rename when mapping.NewName is { } name => read with { Column = column with { Name = name } },
            ColumnMappingKind.Mask => new(text, $"CASE WHEN {Quote(column.Name)} IS NULL THEN NULL ELSE '{ColumnMapping.MaskText}' END", ReadKind.Text),
            ColumnMappingKind.Hash when HashableText(read) is { } value => new(text, $"encode(sha256(convert_to({value}, 'UTF8')), 'hex')", ReadKind.Text),
            _ => null,
        };
    }

    /// <summary>The SQL text of the value that equals <c>ArrowValues.ToText</c> of what this read produces.</summary>
    private static string? HashableText(PostgresColumnRead read) => read.Kind switch
    {
        ReadKind.Text => read.Expression,
        ReadKind.Boolean or ReadKind.Int16 or ReadKind.Int32 or ReadKind.Int64 => read.Expression + "::text",
        _ => null,
    };

    /// <summary>The reads of a stream's columns, with the mappings it carries computed in the query.</summary>
    public static PostgresColumnRead[] ForStream(ConfiguredStream stream) =>
        stream.ReadColumns().Select(column =>
            stream.Mappings.LastOrDefault(m => m.Column == column.Name && m.Kind != ColumnMappingKind.Drop) is { } mapping
                ? For(column, mapping) ?? throw new InvalidOperationException($"the source cannot compute {mapping} in its query")
                : For(column)).ToArray();
}
