using System.Text;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Quoting for everything Sluice splices into SQL. Identifiers are always quoted, so mixed case, unicode, reserved
/// words and embedded quotes survive; COPY cannot take parameters, so literals are quoted here too.
/// </summary>
public static class PostgresIdentifiers
{
    /// <summary>PostgreSQL truncates identifiers to NAMEDATALEN-1 bytes; longer generated names must be shortened by us.</summary>
    public const int MaxIdentifierBytes = 63;

    public static string Quote(string identifier)
    {
        if (identifier.Contains('\0'))
            throw new ArgumentException("PostgreSQL identifiers cannot contain NUL characters", nameof(identifier));
        return "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }

    public static string Qualified(string schema, string table) => Quote(schema) + "." + Quote(table);

    /// <summary>A standard-conforming string literal (E'' is never used, so backslashes need no escaping).</summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0'))
            throw new ArgumentException("PostgreSQL text cannot contain NUL characters", nameof(value));
        return "'" + value.Replace("'", "''") + "'";
    }

    /// <summary>A generated name (staging table, index) that fits in 63 bytes: the base is cut on a character boundary.</summary>
    public static string Fit(string prefix, string name, string suffix)
    {
        var budget = MaxIdentifierBytes - Encoding.UTF8.GetByteCount(prefix) - Encoding.UTF8.GetByteCount(suffix);
        if (Encoding.UTF8.GetByteCount(name) <= budget)
            return prefix + name + suffix;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        budget -= hash.Length + 1;
        var cut = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(cut.ToString() + rune) > budget)
                break;
            cut.Append(rune.ToString());
        }
        return prefix + cut + "_" + hash + suffix;
    }
}
