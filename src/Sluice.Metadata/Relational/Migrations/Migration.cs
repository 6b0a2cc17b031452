namespace Sluice.Metadata.Relational.Migrations;

/// <summary>One schema step, read from <c>Migrations/&lt;dialect&gt;/NNNN_name.sql</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
