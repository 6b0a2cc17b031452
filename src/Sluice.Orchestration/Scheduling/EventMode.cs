namespace Sluice.Orchestration.Scheduling;

public enum EventMode
{
    /// <summary>Run once every listed connection and DAG has succeeded since the last run.</summary>
    All,

    /// <summary>Run as soon as any listed connection or DAG has succeeded since the last run.</summary>
    Any,
}
