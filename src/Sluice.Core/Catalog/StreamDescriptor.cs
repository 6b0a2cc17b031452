namespace Sluice.Core.Catalog;

/// <summary>Names one stream: a table, a file set or an API resource. Namespace is the schema/database, or null.</summary>
public sealed record StreamDescriptor(string Name, string? Namespace = null)
{
    public override string ToString() => Namespace is null ? Name : $"{Namespace}.{Name}";
}
