namespace Sluice.Connectors.Tests.Compliance;

/// <summary>
/// What a destination test reads back from its target: the column names in target order and each row's values as
/// the target's driver or file format returns them (CLR values or text). <see cref="ValueCanon"/> compares them.
/// </summary>
public sealed record WrittenTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows)
{
    public static WrittenTable Empty(IReadOnlyList<string> columns) => new(columns, []);
}
