namespace Sluice.Cli;

/// <summary>Named exit codes, so scripts can tell bad input from a failed run.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int Unavailable = 3;
    /// <summary>The metadata schema is not the one this build needs: run <c>sluice migrate</c>, or upgrade Sluice.</summary>
    public const int SchemaMismatch = 4;
    public const int Cancelled = 130;
}
