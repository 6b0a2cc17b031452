using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Postgres;

public sealed partial class PostgresConnector : IMappingPushdown
{
    /// <summary>Renames and masks of every column, hashes of the types PostgreSQL renders as the engine does (see <see cref="PostgresColumnRead.For(ColumnSchema, ColumnMapping)"/>).</summary>
    public string? PushDown(ConfiguredStream stream, ColumnMapping mapping) =>
        mapping.Kind != ColumnMappingKind.Drop && stream.Stream.Column(mapping.Column) is { } column
            ? PostgresColumnRead.For(column, mapping)?.Expression
            : null;
}
