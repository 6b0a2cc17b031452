namespace Sluice.Metadata.Orchestration;

/// <summary>A stored DAG: its name, whether it is paused, and which version of its definition is current.</summary>
public sealed record DagRecord(string Name, bool Paused, int CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One version of a DAG's definition, as applied (YAML text). Versions are never changed, only added.</summary>
public sealed record DagVersionRecord(string Dag, int Version, string Definition, DateTimeOffset CreatedAt);

/// <summary>What applying a definition did: <see cref="Changed"/> is false when it equals the current version.</summary>
public sealed record DagApplyResult(DagRecord Dag, bool Created, bool Changed);
