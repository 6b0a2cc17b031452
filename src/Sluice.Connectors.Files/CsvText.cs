using System.Text;

namespace Sluice.Connectors.Files;

/// <summary>Writes CSV fields the RFC 4180 way: quoted when they hold the delimiter, a quote or a line break.</summary>
internal static class CsvText
{
    public static void AppendField(StringBuilder line, string? value, char delimiter)
    {
        if (value is null)
            return; // NULL: an empty unquoted field
        if (value.Length == 0 || value.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 || value[0] == ' ' || value[^1] == ' ')
        {
            line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            return;
        }
        line.Append(value);
    }
}
