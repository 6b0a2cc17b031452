using System.Data.Common;
using System.Text.Json.Nodes;

namespace Sluice.Core.Connectors;

/// <summary>
/// A connector whose system speaks SQL. The orchestrator's sql tasks run their statements on a connection it opens
/// from a stored source's or destination's config, so TLS, secrets and defaults are the connector's own.
/// </summary>
public interface ISqlConnector
{
    /// <summary>An open connection for running statements; a bad config throws <see cref="ConfigException"/>.</summary>
    Task<DbConnection> OpenSqlAsync(JsonObject config, CancellationToken cancellationToken);
}
