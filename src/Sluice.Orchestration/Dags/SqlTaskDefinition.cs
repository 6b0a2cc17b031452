namespace Sluice.Orchestration.Dags;

/// <summary>Which kind of stored definition a sql task runs against.</summary>
public enum SqlTargetKind
{
    Connection,
    Source,
    Destination,
}

/// <summary>
/// Runs SQL against a stored source, destination, or a connection's destination. The text comes inline
/// (<see cref="Sql"/>) or from a file next to the definition (<see cref="File"/>), and is templated.
/// </summary>
public sealed record SqlTaskDefinition : TaskDefinition
{
    public override string Type => "sql";

    public required SqlTargetKind TargetKind { get; init; }

    public required string Target { get; init; }

    public string? Sql { get; init; }

    /// <summary>Path of a .sql file, resolved against the definition's directory when one was given.</summary>
    public string? File { get; init; }

    /// <summary>Run all statements in one transaction where the database allows it.</summary>
    public bool Transaction { get; init; } = true;
}
