using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Orchestration.Templating;

/// <summary>
/// A deliberately small Jinja subset: <c>{{ name }}</c>, <c>{{ params.NAME }}</c> and quoted literals
/// (<c>{{ '{{' }}</c> writes braces). No filters or logic, so templates stay reviewable, and an unknown
/// name is an error rather than an empty string that would silently change a query or command.
/// </summary>
public static partial class TemplateRenderer
{
    private const string Open = "{{";
    private const string Close = "}}";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    /// <summary>Renders <paramref name="template"/>; throws <see cref="TemplateException"/>.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> parameters)
    {
        if (!template.Contains(Open, StringComparison.Ordinal))
        {
            return template;
        }

        var sb = new StringBuilder(template.Length);
        Walk(template, literal => sb.Append(literal), expression => sb.Append(Resolve(expression, variables, parameters)));
        return sb.ToString();
    }

    /// <summary>
    /// Checks syntax and variable names without values (at parse time). Params are not checked,
    /// because a manual trigger may supply params the defaults do not list.
    /// </summary>
    public static void Validate(string template, IReadOnlyCollection<string> knownVariables)
    {
        Walk(template, _ => { }, expression =>
        {
            var kind = Classify(expression);
            if (kind == Kind.Variable && !knownVariables.Contains(expression))
            {
                throw Unknown(expression, knownVariables);
            }
        });
    }

    private static void Walk(string template, Action<string> literal, Action<string> expression)
    {
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                literal(template[position..]);
                return;
            }

            literal(template[position..open]);
            var close = template.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TemplateException($"unclosed '{{{{' at position {open}: every '{{{{' needs a matching '}}}}'");
            }

            expression(template[(open + Open.Length)..close].Trim());
            position = close + Close.Length;
        }
    }

    private enum Kind { Literal, Param, Variable }

    private static Kind Classify(string expression)
    {
        if (expression.Length >= 2 && (expression[0] is '\'' or '"') && expression[^1] == expression[0])
        {
            return Kind.Literal;
        }

        if (expression.StartsWith("params.", StringComparison.Ordinal) && Identifier().IsMatch(expression["params.".Length..]))
        {
            return Kind.Param;
        }

        if (Identifier().IsMatch(expression))
        {
            return Kind.Variable;
        }

        throw new TemplateException(
            $"unsupported template expression '{{{{ {expression} }}}}': only a variable name, params.NAME or a quoted string is allowed");
    }

    private static string Resolve(string expression, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> parameters)
    {
        switch (Classify(expression))
        {
            case Kind.Literal:
                return expression[1..^1];
            case Kind.Param:
                var name = expression["params.".Length..];
                return parameters.TryGetValue(name, out var p)
                    ? p
                    : throw new TemplateException(
                        $"unknown template variable 'params.{name}'; params defined: {List(parameters.Keys)}", expression);
            default:
                return variables.TryGetValue(expression, out var v) ? v : throw Unknown(expression, variables.Keys);
        }
    }

    private static TemplateException Unknown(string name, IEnumerable<string> known) =>
        new($"unknown template variable '{name}'; known variables: {List(known)}, params.NAME", name);

    private static string List(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? "(none)" : string.Join(", ", sorted);
    }
}
