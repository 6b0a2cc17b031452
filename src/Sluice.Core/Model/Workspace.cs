namespace Sluice.Core.Model;

public sealed record Workspace(Guid Id, string Name, DateTimeOffset CreatedAt)
{
    public const string DefaultName = "default";
}
