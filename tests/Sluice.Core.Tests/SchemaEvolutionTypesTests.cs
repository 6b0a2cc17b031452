using Sluice.Core.Catalog;
using Sluice.Core.Evolution;
using Sluice.Core.Types;

namespace Sluice.Core.Tests;

/// <summary>The safe widenings (one list, documented in docs/sync-modes.md) and the schema comparison that finds changes.</summary>
public sealed class SchemaEvolutionTypesTests
{
    [Theory]
    [InlineData("int16", "int32")]
    [InlineData("int32", "int64")]
    [InlineData("int8", "int64")]
    [InlineData("uint8", "uint16")]
    [InlineData("uint32", "int64")]
    [InlineData("uint16", "uint64")]
    [InlineData("float32", "float64")]
    [InlineData("int32", "decimal(10,0)")]
    [InlineData("int64", "decimal(21,2)")]
    [InlineData("decimal(10,2)", "decimal(12,2)")]
    [InlineData("decimal(10,2)", "decimal(14,4)")]
    [InlineData("decimal(38,10)", "bigdecimal")]
    [InlineData("int64", "bigdecimal")]
    [InlineData("string", "string")]
    public void Widenings_that_keep_every_value_are_safe(string from, string to) =>
        Assert.True(TypeWidening.IsSafe(LogicalType.Parse(from), LogicalType.Parse(to)), $"{from} -> {to}");

    [Theory]
    [InlineData("int64", "int32")]
    [InlineData("float64", "float32")]
    [InlineData("int32", "uint32")]
    [InlineData("int64", "uint64")]
    [InlineData("uint64", "int64")]
    [InlineData("int32", "float64")]
    [InlineData("int64", "decimal(18,0)")]
    [InlineData("decimal(12,2)", "decimal(12,4)")]
    [InlineData("decimal(12,4)", "decimal(14,2)")]
    [InlineData("int32", "string")]
    [InlineData("timestamp", "timestamptz")]
    [InlineData("date", "timestamp")]
    [InlineData("string", "json")]
    [InlineData("bigdecimal", "decimal(38,10)")]
    public void Narrowings_and_reinterpretations_are_not_safe(string from, string to) =>
        Assert.False(TypeWidening.IsSafe(LogicalType.Parse(from), LogicalType.Parse(to)), $"{from} -> {to}");

    [Fact]
    public void Compare_finds_added_removed_retyped_columns_and_a_changed_key()
    {
        var before = Stream(["id", "int32"], ["name", "string"], ["amount", "decimal(10,2)"]) with { PrimaryKey = [["id"]] };
        var after = Stream(["id", "int64"], ["full_name", "string"], ["amount", "decimal(10,2)"]) with { PrimaryKey = [["id"], ["full_name"]] };

        var changes = SchemaComparer.Compare(before, after);

        Assert.Equal(
        [
            new SchemaChange(before.Descriptor, SchemaChangeKind.ColumnRemoved, "name", "string"),
            new SchemaChange(before.Descriptor, SchemaChangeKind.ColumnTypeChanged, "id", "int32", "int64"),
            new SchemaChange(before.Descriptor, SchemaChangeKind.ColumnAdded, "full_name", NewType: "string"),
            new SchemaChange(before.Descriptor, SchemaChangeKind.PrimaryKeyChanged, null, "id", "id,full_name"),
        ], changes);
        Assert.Equal("stream public.orders: column id changed type int32 -> int64", changes[1].ToString());
        Assert.Empty(SchemaComparer.Compare(after, after));
    }

    [Fact]
    public void Kinds_and_actions_have_stable_snake_case_names()
    {
        foreach (var kind in Enum.GetValues<SchemaChangeKind>())
            Assert.Equal(kind, SchemaChangeNames.ParseKind(kind.ToText()));
        Assert.Equal("column_type_changed", SchemaChangeKind.ColumnTypeChanged.ToText());
        Assert.Equal("paused", SchemaChangeAction.Paused.ToText());
        Assert.Throws<FormatException>(() => SchemaChangeNames.ParseKind("column_renamed"));
    }

    private static StreamSchema Stream(params string[][] columns) => new()
    {
        Descriptor = new StreamDescriptor("orders", "public"),
        Columns = columns.Select(c => new ColumnSchema(c[0], LogicalType.Parse(c[1]))).ToList(),
    };
}
