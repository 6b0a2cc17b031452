using MySqlConnector;

namespace Sluice.Connectors.MySql;

/// <summary>
/// A column's bytes as the server sent them. MySqlConnector hands out bytes only for binary columns, which is why raw
/// columns are selected through <c>CAST(... AS BINARY)</c>; the copy goes into one scratch array reused for every value
/// of a stream read (reads are sequential), not into a new array or string per value.
/// </summary>
internal sealed class MySqlRawBytes
{
    private byte[] _scratch = new byte[4096];

    public ReadOnlySpan<byte> Get(MySqlDataReader reader, int ordinal)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > _scratch.Length)
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        var read = (int)reader.GetBytes(ordinal, 0, _scratch, 0, length);
        return _scratch.AsSpan(0, read);
    }
}
