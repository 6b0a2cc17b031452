namespace Sluice.Orchestration.Templating;

/// <summary>A template could not be rendered: bad syntax, or a variable that does not exist.</summary>
public sealed class TemplateException(string message, string? variable = null) : Exception(message)
{
    /// <summary>The unknown variable, when that was the problem.</summary>
    public string? Variable { get; } = variable;
}
