namespace Sluice.Server.Definitions;

public enum ApplyAction
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>What <c>apply</c> did to one definition, with the changed fields (secrets masked).</summary>
public sealed record ApplyChange(string Kind, string Name, ApplyAction Action, IReadOnlyList<string> Diff);
