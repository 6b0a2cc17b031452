namespace Sluice.Core.Connectors;

/// <summary>Airbyte's <c>AirbyteConnectionStatus</c>.</summary>
public sealed record CheckResult(bool Succeeded, string? Message = null)
{
    public static readonly CheckResult Success = new(true);
    public static CheckResult Failed(string message) => new(false, message);
}
