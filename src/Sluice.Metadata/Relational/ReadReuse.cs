namespace Sluice.Metadata.Relational;

/// <summary>
/// The last few results read on one kept read connection, each reusable only while the database's change stamp for that
/// connection is the one it was read under (SQLite: <c>data_version</c>, which moves when any other connection or process
/// commits, and <c>total_changes()</c>, which moves when this one writes). Any commit anywhere empties it, so a reused
/// result is always what the query would return now. Used by one request at a time, like the connection it belongs to.
/// </summary>
internal sealed class ReadReuse
{
    // A page is at most 1,000 rows; a handful of them per kept connection bounds the memory.
    private const int MaxResults = 4;
    private readonly Dictionary<string, object> _results = new(StringComparer.Ordinal);
    private (long DataVersion, long OwnChanges) _stamp = (-1, -1);

    public bool TryGet<T>((long, long) stamp, string key, out IReadOnlyList<T> rows)
    {
        if (stamp != _stamp)
        {
            _results.Clear();
            _stamp = stamp;
        }
        if (_results.TryGetValue(key, out var found) && found is IReadOnlyList<T> typed)
        {
            rows = typed;
            return true;
        }
        rows = [];
        return false;
    }

    /// <summary>Keeps <paramref name="rows"/>, read after <paramref name="stamp"/> was taken (a commit in between only makes the next read miss).</summary>
    public void Keep<T>((long, long) stamp, string key, IReadOnlyList<T> rows)
    {
        if (stamp != _stamp)
            return;
        if (_results.Count >= MaxResults)
            _results.Clear();
        _results[key] = rows;
    }
}
