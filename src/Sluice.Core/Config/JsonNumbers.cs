using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Core.Config;

/// <summary>
/// Reads numbers from JSON nodes whatever CLR type built them: <c>GetValue&lt;long&gt;()</c> throws on a node
/// created from an int, which configs built in code (not parsed) often are.
/// </summary>
public static class JsonNumbers
{
    public static long? Int64(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString().Trim('"'), CultureInfo.InvariantCulture);

    public static int? Int32(JsonNode? node) => node is null ? null : int.Parse(node.ToJsonString().Trim('"'), CultureInfo.InvariantCulture);
}
