using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>Collects errors for one document, stamping each with the file and DAG name.</summary>
internal sealed class ErrorSink(string? source)
{
    private readonly List<DagError> _errors = [];

    /// <summary>Set once the name is read, so later errors name the DAG.</summary>
    public string? Dag { get; set; }

    public IReadOnlyList<DagError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(string? task, string? field, string message, YamlNode? at = null) =>
        _errors.Add(new DagError(source, Dag, task, field, message, at?.Start.Line, at?.Start.Column));
}
