using System.CommandLine;
using Sluice.Core.Connectors;
using Sluice.Orchestration;

namespace Sluice.Cli.Distributed;

/// <summary>What the long-running processes (server, scheduler, worker) share: the store they must be given, durations, names.</summary>
internal static class ServiceOptions
{
    /// <summary>The store from <c>--store</c> or SLUICE_STORE; these processes never fall back to a local SQLite file.</summary>
    public static string RequireStore(ParseResult result, string command) =>
        result.GetValue(CommonOptions.Store) is { Length: > 0 } store ? store
        : Environment.GetEnvironmentVariable("SLUICE_STORE") is { Length: > 0 } env ? env
        : throw new ConfigException("--store", $"sluice {command} needs the shared metadata store",
            "give --store postgres://user:password@host:5432/sluice (or an Npgsql connection string), or set SLUICE_STORE");

    public static Option<string?> Duration(string name, string description, string? environment = null) =>
        new(name) { Description = environment is null ? description : $"{description} (env {environment})" };

    /// <summary>The option's value, else the environment variable's, else <paramref name="fallback"/>.</summary>
    public static TimeSpan DurationValue(ParseResult result, Option<string?> option, string? environment, TimeSpan fallback)
    {
        var (text, source) = result.GetValue(option) is { } given ? (given, option.Name)
            : environment is not null && Environment.GetEnvironmentVariable(environment) is { Length: > 0 } env ? (env, environment)
            : (null, null);
        if (text is null)
            return fallback;
        if (!Durations.TryParse(text, out var value, out var error) || value <= TimeSpan.Zero)
            throw new ConfigException(source!, $"'{text}' is not a positive duration{(error.Length > 0 ? $" ({error})" : "")}", "write it like 500ms, 10s or 2m");
        return value;
    }

    /// <summary>Comma-separated names (queues); each must be a plain name as in DAG files.</summary>
    public static IReadOnlyList<string> Names(string? text, string option)
    {
        var names = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,249}$"))
                throw new ConfigException(option, $"'{name}' is not a valid name", "use letters, digits, '_', '-' and '.', separated by commas");
        }
        return names;
    }

    /// <summary>key=value pairs separated by commas.</summary>
    public static IReadOnlyDictionary<string, string> Labels(string? text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || pair.Contains(' ', StringComparison.Ordinal))
                throw new ConfigException("--labels", $"'{pair}' is not key=value", "write labels like zone=eu,db=warehouse");
            labels[parts[0]] = parts[1];
        }
        return labels;
    }

    public static string DefaultId(string kind) => $"{kind}-{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Timestamped diagnostics on stderr; stdout carries only the stable status lines.</summary>
    public static void Log(string message, Exception? exception)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}";
        if (exception is not null && Environment.GetEnvironmentVariable("SLUICE_DEBUG") == "1")
            line += Environment.NewLine + exception;
        Console.Error.WriteLine(line);
    }

    public static void Status(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
