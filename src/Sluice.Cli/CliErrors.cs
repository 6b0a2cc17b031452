using Sluice.Core.Connectors;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Definitions;

namespace Sluice.Cli;

/// <summary>The CLI's last line of defence: a clear message and a named exit code, never a stack trace.</summary>
public static class CliErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    public static int Report(Exception e)
    {
        var (code, prefix) = e switch
        {
            ConfigException or DefinitionException or Orchestration.Dags.Parsing.DagDefinitionException or FormatException or System.Text.Json.JsonException => (ExitCodes.InvalidInput, "invalid input"),
            NotFoundException or DuplicateNameException or InUseException or ConcurrencyException => (ExitCodes.InvalidInput, "error"),
            ConnectorUnavailableException => (ExitCodes.Unavailable, "unavailable"),
            SchemaNotMigratedException or SchemaVersionException => (ExitCodes.SchemaMismatch, "cannot start"),
            IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } => (ExitCodes.Unavailable, "cannot listen"),
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
            _ => (ExitCodes.Failed, "error"),
        };
        // Plain text, not Spectre markup: error lines must not be wrapped, so scripts and people can grep them.
        Console.Error.WriteLine($"{prefix}: {ErrorText.Describe(e)}");
        if (Environment.GetEnvironmentVariable("SLUICE_DEBUG") == "1")
            Console.Error.WriteLine(e);
        return code;
    }
}
