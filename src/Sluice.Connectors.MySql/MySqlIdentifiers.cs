namespace Sluice.Connectors.MySql;

/// <summary>Backtick quoting, so mixed case, unicode, reserved words and even backticks survive as table and column names.</summary>
internal static class MySqlIdentifiers
{
    /// <summary>MySQL's limit on table and column name length, in characters.</summary>
    public const int MaxLength = 64;

    public static string Quote(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    public static string Quote(string database, string table) => Quote(database) + "." + Quote(table);

    /// <summary>A helper table name next to <paramref name="table"/> that stays within 64 characters and unique per table.</summary>
    public static string Helper(string prefix, string table)
    {
        var name = prefix + table;
        if (name.Length <= MaxLength)
            return name;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(table)))[..8];
        return name[..(MaxLength - 9)] + "_" + hash;
    }
}
