using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.Postgres;

public sealed partial class PostgresConnector : IMappingPushdown
{
    /// <summary>Renames and masks of every column, hashes of the types PostgreSQL renders as the engine does (see <see cref="PostgresColumnRead.For(ColumnSchema, ColumnMapping)"/>).</summary>
    public string? PushDown(ColumnSchema column, ColumnMapping mapping) => PostgresColumnRead.For(column, mapping)?.Expression;
}
