using Sluice.Core.Types;

namespace Sluice.Core.Catalog;

/// <summary>One column of a stream: its logical type, the source's native type name and whether it may be null.</summary>
public sealed record ColumnSchema(string Name, LogicalType Type, bool Nullable = true, string? NativeType = null);
