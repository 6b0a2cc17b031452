using System.Text.RegularExpressions;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>DAG and task names: they appear in URLs, file names and run ids, so keep them plain.</summary>
internal static partial class Names
{
    public const string Rule = "use letters, digits, '_', '-' and '.', at most 250 characters";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,249}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name);
}
