using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Core.Sources;

/// <summary>
/// The <c>checkpoint_seconds</c> setting every SQL source has, with one meaning: while a table is read, a checkpoint
/// follows at least this often (besides one after each <c>checkpoint_rows</c> range).
/// </summary>
public static class CheckpointSeconds
{
    public const string Field = "checkpoint_seconds";
    public const double Default = 60;
    public const double Minimum = 0.1;

    public const string Description = "Source only: while a table is read, a checkpoint follows at least this often (seconds), inside a range too, " +
                                      "so a failed sync resumes after the last row checkpointed; a table without a primary key is read in one piece with no checkpoints to give, " +
                                      "except in PostgreSQL (14 and later), which reads it in ctid ranges";

    /// <summary>The property's JSON Schema; ConfigValidator rejects a value below the minimum naming the field.</summary>
    public static JsonObject Schema() => new()
    {
        ["type"] = "number",
        ["minimum"] = Minimum,
        ["default"] = Default,
        ["description"] = Description,
    };

    /// <summary>The value of a config already validated against <see cref="Schema"/>.</summary>
    public static double From(JsonObject config) =>
        config[Field] is { } value ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : Default;
}
