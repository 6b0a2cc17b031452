namespace Sluice.Core.Connectors;

/// <summary>Bad input from a user: names the field at fault and says how to fix it. Never carries a stack trace to the user.</summary>
public class ConfigException(string field, string problem, string? fix = null) : Exception(Format(field, problem, fix))
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
    public string? Fix { get; } = fix;

    private static string Format(string field, string problem, string? fix) =>
        fix is null ? $"{field}: {problem}" : $"{field}: {problem}; {fix}";
}

/// <summary>Several config problems found at once, e.g. by validation against a spec.</summary>
public sealed class ConfigValidationException(IReadOnlyList<ConfigException> errors)
    : ConfigException(errors[0].Field, string.Join("; ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<ConfigException> Errors { get; } = errors;
}

/// <summary>A system the connector talks to cannot be reached or refused it (wrong host, password, missing database).</summary>
public sealed class ConnectorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
