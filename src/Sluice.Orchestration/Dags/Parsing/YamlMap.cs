using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// Typed, error-collecting access to one YAML mapping. Every key read is remembered, so
/// <see cref="ReportUnknownKeys"/> can flag typos ("retires") instead of silently ignoring them.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly ErrorSink _errors;
    private readonly string? _task;
    private readonly string _prefix;

    public YamlMap(YamlMappingNode node, ErrorSink errors, string? task, string prefix = "")
    {
        Node = node;
        _errors = errors;
        _task = task;
        _prefix = prefix;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name } scalar)
            {
                _entries[name] = (scalar, value);
            }
            else
            {
                errors.Add(task, prefix.TrimEnd('.'), "keys must be plain names", key);
            }
        }
    }

    public YamlMappingNode Node { get; }

    public bool Has(string key) => _entries.ContainsKey(key);

    public string FieldName(string key) => _prefix + key;

    public void Error(string key, string message) => _errors.Add(_task, FieldName(key), message, At(key));

    public YamlNode At(string key) => _entries.TryGetValue(key, out var e) ? e.Value : Node;

    /// <summary>The raw node, or null when absent or an explicit YAML null.</summary>
    public YamlNode? Raw(string key)
    {
        _read.Add(key);
        return _entries.TryGetValue(key, out var e) && !IsNull(e.Value) ? e.Value : null;
    }

    public string? String(string key, bool required = false)
    {
        var node = Raw(key);
        if (node is null)
        {
            if (required)
            {
                _errors.Add(_task, FieldName(key), "is required", Node);
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Error(key, $"must be a single value, not a {Describe(node)}");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(key, $"must be true or false (got '{text}')");
        return null;
    }

    public int? Int(string key, int min = int.MinValue)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(key, $"must be a whole number (got '{text}')");
            return null;
        }

        if (value < min)
        {
            Error(key, $"must be {min} or more (got {value})");
            return null;
        }

        return value;
    }

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (Durations.TryParse(text, out var value, out var error))
        {
            return value;
        }

        Error(key, error);
        return null;
    }

    /// <summary>A list of scalars; a single scalar is accepted as a one-item list.</summary>
    public IReadOnlyList<string> StringList(string key)
    {
        var node = Raw(key);
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode { Value: { } single }:
                return [single];
            case YamlSequenceNode seq:
                var items = new List<string>(seq.Children.Count);
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode { Value: { } v } && !IsNull(item))
                    {
                        items.Add(v);
                    }
                    else
                    {
                        _errors.Add(_task, FieldName(key), $"items must be single values, not a {Describe(item)}", item);
                    }
                }

                return items;
            default:
                Error(key, $"must be a list, not a {Describe(node)}");
                return [];
        }
    }

    /// <summary>A mapping of names to scalar values (env, headers, params).</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = Raw(key);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(key, $"must be a mapping of names to values, not a {Describe(node)}");
            return result;
        }

        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
            {
                result[name] = IsNull(v) ? "" : value;
            }
            else
            {
                _errors.Add(_task, FieldName(key), "values must be single values (strings, numbers, booleans)", v);
            }
        }

        return result;
    }

    public YamlMap? Map(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, _errors, _task, FieldName(key) + ".");
        }

        Error(key, $"must be a mapping, not a {Describe(node)}");
        return null;
    }

    /// <summary>Flags every key that was never read, suggesting the nearest known one.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var (name, entry) in _entries)
        {
            if (_read.Contains(name))
            {
                continue;
            }

            var suggestion = Suggestions.Closest(name, _read);
            var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
            _errors.Add(_task, FieldName(name), $"unknown field{hint}", entry.Key);
        }
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
