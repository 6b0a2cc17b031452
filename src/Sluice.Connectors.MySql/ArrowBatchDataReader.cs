using System.Collections;
using System.Data.Common;
using Apache.Arrow;

namespace Sluice.Connectors.MySql;

/// <summary>
/// A forward-only <see cref="DbDataReader"/> over one Arrow batch plus Sluice's metadata columns, which is what
/// MySqlBulkCopy consumes. Only the members the bulk copy calls do real work.
/// </summary>
internal sealed class ArrowBatchDataReader : DbDataReader
{
    private readonly RecordBatch _batch;
    private readonly MySqlValues.Getter[] _getters;
    private readonly string[] _names;
    private readonly object[] _constants;
    private int _row = -1;

    /// <param name="columns">Indexes of the batch columns to load, in order.</param>
    /// <param name="constants">Trailing values repeated on every row (extracted-at, sync id).</param>
    public ArrowBatchDataReader(RecordBatch batch, IReadOnlyList<int> columns, IReadOnlyList<(string Name, object Value)> constants)
    {
        _batch = batch;
        _getters = columns.Select(i => MySqlValues.For(batch.Column(i))).ToArray();
        _names = columns.Select(i => batch.Schema.GetFieldByIndex(i).Name).Concat(constants.Select(c => c.Name)).ToArray();
        _constants = constants.Select(c => c.Value).ToArray();
    }

    public override int FieldCount => _names.Length;
    public override bool HasRows => _batch.Length > 0;
    public override bool IsClosed => false;
    public override int RecordsAffected => -1;
    public override int Depth => 0;
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ++_row < _batch.Length;
    public override bool NextResult() => false;

    public override object GetValue(int ordinal) =>
        ordinal < _getters.Length ? _getters[ordinal](_row) ?? DBNull.Value : _constants[ordinal - _getters.Length];

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++)
            values[i] = GetValue(i);
        return n;
    }

    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;
    public override string GetName(int ordinal) => _names[ordinal];
    public override int GetOrdinal(string name) => System.Array.IndexOf(_names, name);
    public override Type GetFieldType(int ordinal) => typeof(object);
    public override string GetDataTypeName(int ordinal) => "object";
    public override IEnumerator GetEnumerator() => throw new NotSupportedException();

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);
    public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    public override char GetChar(int ordinal) => throw new NotSupportedException();
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException();
    public override decimal GetDecimal(int ordinal) => throw new NotSupportedException();
    public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override Guid GetGuid(int ordinal) => throw new NotSupportedException();
    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    public override string GetString(int ordinal) => (string)GetValue(ordinal);
}
