using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;

namespace Sluice.Metadata.Relational;

/// <summary>
/// Typed reads of one column of the current row, the same values <see cref="Row"/> gives whatever the driver (SQLite:
/// ids and times as text, every integer a long; PostgreSQL: uuid, timestamptz, int), without boxing each value.
/// </summary>
internal static class Fields
{
    // How Microsoft.Data.Sqlite writes a DateTimeOffset; parsing that exact shape is several times cheaper than Parse.
    private const string SqliteTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz";

    public static Guid Guid(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int Int(DbDataReader reader, int ordinal) => checked((int)reader.GetInt64(ordinal));

    public static T Enum<T>(DbDataReader reader, int ordinal) where T : struct, System.Enum => EnumCache<T>.Parse(reader.GetString(ordinal));

    public static DateTimeOffset Time(DbDataReader reader, int ordinal)
    {
        if (reader is not Microsoft.Data.Sqlite.SqliteDataReader)
            return reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime();
        var text = reader.GetString(ordinal);
        if (SqliteTime.TryParse(text, out var fast))
            return fast;
        return DateTimeOffset.TryParseExact(text, SqliteTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact)
            ? exact.ToUniversalTime()
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    }

    // The stored texts of an enum are few; each is parsed (and checked) once.
    private static class EnumCache<T> where T : struct, System.Enum
    {
        private static readonly ConcurrentDictionary<string, T> Parsed = new(StringComparer.Ordinal);

        public static T Parse(string text) => Parsed.TryGetValue(text, out var value) ? value : Parsed.GetOrAdd(text, EnumText.Parse<T>(text));
    }
}
