using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Sluice.Core.Connectors;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Definitions;

namespace Sluice.Server.Api;

/// <summary>
/// Turns exceptions into RFC 7807 problem details: config errors list each failing field, store conflicts are 409,
/// anything unexpected a 500 with no stack trace (the trace goes to the server log only).
/// </summary>
public sealed class ApiErrors(ILogger<ApiErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, errors) = Classify(context, exception);
        if (status == 500)
            logger.LogError(exception, "unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        var detail = status == 500 ? "an unexpected error occurred; the server log has the details" : ErrorText.Describe(exception);
        ProblemDetails problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new ValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        context.Response.StatusCode = status;
        // Serialize as the runtime type: a ValidationProblemDetails keeps its per-field "errors" member.
        await context.Response.WriteAsJsonAsync(problem, problem.GetType(), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    /// <summary>The status, title and per-field errors an exception is answered with (the audit trail records the same status).</summary>
    public static (int Status, string Title, Dictionary<string, string[]>? Errors) Classify(HttpContext context, Exception exception) =>
        exception switch
        {
            ConfigValidationException v => (400, "invalid configuration", v.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray())),
            ConfigException c => (400, "invalid configuration", new Dictionary<string, string[]> { [c.Field] = [c.Message] }),
            DefinitionException => (400, "invalid definition", null),
            ConnectorUnavailableException => (502, "the connector's system is unavailable", null),
            NotFoundException => (404, "not found", null),
            UnauthorizedAccessException => (403, "forbidden", null),
            // If-Match is a precondition (412); a stale version in the body is a conflict with the current state (409).
            ConcurrencyException => (context.Request.Headers.IfMatch.Count > 0 ? 412 : 409, "changed by someone else", null),
            VersionRequiredException => (428, "version required", new Dictionary<string, string[]> { ["version"] = [exception.Message] }),
            DuplicateNameException => (409, "name already taken", null),
            InUseException => (409, "in use", null),
            Engine.Evolution.ConnectionPausedException => (409, "connection paused", null),
            BadHttpRequestException { StatusCode: 413 } => (413, "request body too large", null),
            BadHttpRequestException { InnerException: BadHttpRequestException { StatusCode: 413 } } => (413, "request body too large", null),
            BadHttpRequestException b => (b.StatusCode, "bad request", null),
            System.Text.Json.JsonException => (400, "malformed JSON", null),
            // The request's deadline (RequestTimeouts) cancelled it: the timeout middleware answers 504, the audit records the same.
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (504, "request timed out", null),
            _ => (500, "internal error", null),
        };
}
