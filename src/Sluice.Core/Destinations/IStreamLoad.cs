using Apache.Arrow;
using Sluice.Core.Catalog;

namespace Sluice.Core.Destinations;

/// <summary>
/// One stream's load into a transactional destination that keeps a single transaction open for the whole sync
/// (SQLite, DuckDB). Every call runs inside that transaction; <see cref="TransactionalWriteLoop"/> decides when it commits.
/// </summary>
public interface IStreamLoad
{
    ConfiguredStream Stream { get; }

    /// <summary>The load goes into a staging table that replaces the target at <see cref="FinishAsync"/>.</summary>
    bool Overwrites { get; }

    bool Finished { get; }

    /// <summary>Creates the target (or staging) table; an empty stream still gets its table.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken);

    /// <summary>Makes the rows written so far part of the load table (the dedup merge); called before every commit.</summary>
    Task MergeAsync(CancellationToken cancellationToken);

    /// <summary>Merges and, for overwrite, swaps the staging table in.</summary>
    Task FinishAsync(CancellationToken cancellationToken);

    /// <summary>Drops the staging table of a stream the source could not finish: the old table stays.</summary>
    Task AbandonAsync(CancellationToken cancellationToken);
}
