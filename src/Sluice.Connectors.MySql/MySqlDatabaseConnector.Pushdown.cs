using Sluice.Core.Catalog;
using Sluice.Core.Connectors;

namespace Sluice.Connectors.MySql;

public sealed partial class MySqlDatabaseConnector : IMappingPushdown
{
    /// <summary>Renames and masks of every column, hashes of character and integer columns (see <see cref="MySqlColumnSelect"/>).</summary>
    public string? PushDown(ColumnSchema column, ColumnMapping mapping) => MySqlColumnSelect.PushDown(column, mapping);
}
