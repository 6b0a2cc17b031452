namespace Sluice.Orchestration.Runtime;

/// <summary>The names a task gets when its DAG does not say.</summary>
public static class RunFactoryDefaults
{
    public const string Pool = "default";
    public const string Queue = "default";
}
