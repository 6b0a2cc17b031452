using System.Globalization;

namespace Sluice.Metadata.Relational;

/// <summary>
/// One result row, read the same way whatever the driver returns: SQLite hands back ids and times as text and every
/// integer as a long, PostgreSQL hands back Guid, DateTime and int. Reading by hand keeps Dapper's global type
/// handlers (shared with every other user of Dapper in the process) out of it.
/// </summary>
internal readonly struct Row(IDictionary<string, object?> values)
{
    public Guid Guid(string column) => values[column] switch
    {
        System.Guid g => g,
        string s => System.Guid.Parse(s),
        byte[] b => new Guid(b),
        var other => throw Unexpected(column, other),
    };

    public bool IsNull(string column) => values[column] is null or DBNull;

    public string String(string column) => StringOrNull(column) ?? throw Unexpected(column, null);

    public string? StringOrNull(string column) => values[column] switch
    {
        null or DBNull => null,
        string s => s,
        var other => throw Unexpected(column, other),
    };

    public long Long(string column) => values[column] switch
    {
        null or DBNull => throw Unexpected(column, null),
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    public IReadOnlyList<long> Longs(string column) => values[column] switch
    {
        null or DBNull => [],
        long[] longs => longs,
        var other => throw Unexpected(column, other),
    };

    public int Int(string column) => checked((int)Long(column));

    public double Double(string column) => values[column] switch
    {
        null or DBNull => throw Unexpected(column, null),
        var v => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    public int? IntOrNull(string column) => values[column] is null or DBNull ? null : Int(column);

    public bool Bool(string column) => Long(column) != 0;

    public T Enum<T>(string column) where T : struct, System.Enum => EnumText.Parse<T>(String(column));

    public DateTimeOffset Time(string column) => TimeOrNull(column) ?? throw Unexpected(column, null);

    public DateTimeOffset? TimeOrNull(string column) => values[column] switch
    {
        null or DBNull => null,
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        DateTimeOffset t => t.ToUniversalTime(),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        var other => throw Unexpected(column, other),
    };

    private static InvalidOperationException Unexpected(string column, object? value) =>
        new($"metadata column '{column}' holds an unexpected value ({value?.GetType().Name ?? "null"}); is the schema from another program?");
}
