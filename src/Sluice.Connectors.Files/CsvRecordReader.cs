using System.Text;

namespace Sluice.Connectors.Files;

/// <summary>
/// Reads RFC 4180 records one at a time from a text stream: quoted fields may hold delimiters, quotes ("") and line
/// breaks. An unquoted empty field is NULL; a quoted empty field ("") is the empty string.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter)
{
    private readonly StringBuilder _field = new();

    /// <summary>Physical line the last record started on (1-based), for error messages.</summary>
    public long Line { get; private set; }
    private long _nextLine = 1;

    public bool TryRead(List<string?> fields)
    {
        fields.Clear();
        Line = _nextLine;
        var c = reader.Read();
        if (c < 0)
            return false;
        while (true)
        {
            _field.Clear();
            var quoted = false;
            if (c == '"')
            {
                quoted = true;
                while (true)
                {
                    c = reader.Read();
                    if (c < 0)
                        throw new InvalidDataException($"line {Line}: a quoted field is not closed");
                    if (c == '"')
                    {
                        if (reader.Peek() != '"')
                            break;
                        reader.Read();
                    }
                    if (c == '\n')
                        _nextLine++;
                    _field.Append((char)c);
                }
                c = reader.Read();
            }
            while (c >= 0 && c != delimiter && c != '\n' && c != '\r')
            {
                _field.Append((char)c);
                c = reader.Read();
            }
            fields.Add(quoted || _field.Length > 0 ? _field.ToString() : null);
            if (c == delimiter)
            {
                c = reader.Read();
                continue;
            }
            if (c == '\r' && reader.Peek() == '\n')
                reader.Read();
            _nextLine++;
            return true;
        }
    }
}
