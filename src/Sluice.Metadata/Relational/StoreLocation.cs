using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sluice.Metadata.Relational;

/// <summary>Tells a SQLite location from a PostgreSQL one and turns either into a driver connection string.</summary>
internal sealed partial record StoreLocation(string Dialect, string ConnectionString)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static StoreLocation Parse(string store)
    {
        store = store.Trim();
        if (store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new(Postgres, FromUrl(store));
        if (NpgsqlKeyword().IsMatch(store))
            return new(Postgres, new NpgsqlConnectionStringBuilder(store).ConnectionString);
        if (store.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return new(Sqlite, FromPath(store["sqlite:".Length..] is var path && path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path));
        if (SqliteKeyword().IsMatch(store))
            return new(Sqlite, new SqliteConnectionStringBuilder(store).ConnectionString);
        return new(Sqlite, FromPath(store));
    }

    // A plain path is the embedded default (./.sluice/metadata.db): create its folder rather than fail on first start.
    private static string FromPath(string path)
    {
        if (path.Length == 0)
            throw new ArgumentException("sqlite: needs a file path, e.g. sqlite:.sluice/metadata.db", nameof(path));
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new SqliteConnectionStringBuilder { DataSource = full }.ConnectionString;
    }

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.DnsSafeHost.Length == 0)
            throw new ArgumentException($"'{Redact(url)}' is not a valid PostgreSQL URL; expected postgres://user:password@host:port/database", nameof(url));
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.DnsSafeHost, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
            builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                ? (Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..]))
                : (Uri.UnescapeDataString(pair), "true");
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"unsupported option '{key}' in PostgreSQL URL '{Redact(url)}': {e.Message}", nameof(url), e);
            }
        }
        return builder.ConnectionString;
    }

    // Error messages end up in logs; the password must not.
    private static string Redact(string url) => PasswordInUrl().Replace(url, "$1:***@");

    [GeneratedRegex(@"(?:^|;)\s*(?:host|server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex NpgsqlKeyword();

    [GeneratedRegex(@"(?:^|;)\s*(?:data\s*source|datasource|filename)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SqliteKeyword();

    [GeneratedRegex(@"^([a-z]+://[^:/@]*):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInUrl();
}
