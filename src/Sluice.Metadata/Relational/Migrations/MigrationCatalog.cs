using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Sluice.Metadata.Relational.Migrations;

/// <summary>The migrations embedded in this assembly, per dialect, in version order.</summary>
internal static partial class MigrationCatalog
{
    private static readonly Lazy<FrozenDictionary<string, IReadOnlyList<Migration>>> All = new(Load);

    /// <summary>The dialects that have migrations (the folders under <c>Migrations/</c>).</summary>
    public static IReadOnlyCollection<string> Dialects => All.Value.Keys;

    public static IReadOnlyList<Migration> For(string dialect) =>
        All.Value.TryGetValue(dialect, out var migrations) ? migrations : [];

    /// <summary>The highest schema version this build can migrate <paramref name="dialect"/> to.</summary>
    public static int Latest(string dialect) => For(dialect) is [.., var last] ? last.Version : 0;

    private static FrozenDictionary<string, IReadOnlyList<Migration>> Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var found = new List<(string Dialect, Migration Migration)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
                continue;
            found.Add((match.Groups["dialect"].Value, new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, Read(assembly, resource))));
        }
        return found
            .GroupBy(f => f.Dialect)
            .ToFrozenDictionary(g => g.Key, g => Checked(g.Key, g.Select(f => f.Migration).OrderBy(m => m.Version).ToList()));
    }

    // A repeat would apply two different steps under one number. A gap is allowed: numbers are handed out to pieces
    // of work in advance and one may land before a lower one; the migrator applies every step not yet recorded.
    private static IReadOnlyList<Migration> Checked(string dialect, List<Migration> migrations)
    {
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"{dialect} migrations must not repeat a number; found {migrations[i].Version:D4}_{migrations[i - 1].Name} and {migrations[i].Version:D4}_{migrations[i].Name}");
        }
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"missing resource {resource}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^Sluice\.Metadata\.Migrations[/\\](?<dialect>[a-z]+)[/\\](?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
