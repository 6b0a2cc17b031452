namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>A DAG definition was rejected; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class DagDefinitionException : Exception
{
    public DagDefinitionException(IReadOnlyList<DagError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<DagError> Errors { get; }

    private static string Describe(IReadOnlyList<DagError> errors) => errors.Count == 1
        ? errors[0].ToString()
        : $"{errors.Count} problems in DAG definition:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
