using System.Globalization;

namespace Sluice.Metadata.Relational;

/// <summary>
/// Literal IN lists. Dapper's list expansion differs by driver (Npgsql gets one array parameter, which IN cannot
/// take), so ids and state names, which are never user text, are written into the SQL instead.
/// </summary>
internal static class SqlList
{
    public static string Of(IEnumerable<long> ids) => "(" + string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + ")";

    public static string Of(IEnumerable<string> names) => "(" + string.Join(", ", names.Select(n =>
        n.All(ch => ch is (>= 'a' and <= 'z') or '_') ? $"'{n}'" : throw new ArgumentException($"'{n}' is not a state or run type name"))) + ")";
}
