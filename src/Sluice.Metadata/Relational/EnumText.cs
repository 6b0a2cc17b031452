using System.Text;

namespace Sluice.Metadata.Relational;

/// <summary>Enums are stored by name in snake_case (<c>propagate_columns</c>), readable in SQL and safe against reordering.</summary>
internal static class EnumText
{
    public static string Of<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a known {typeof(T).Name}");
}
