using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Templating;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs an <see cref="HttpTaskDefinition"/>: one templated request, success when the status is expected.
/// The start of the response body goes to the log, enough to see an API's error without flooding it.
/// </summary>
internal sealed class HttpTaskExecutor(HttpClient client, TimeProvider time) : ITaskExecutor
{
    internal const int SnippetBytes = 2048;

    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = context.Task as HttpTaskDefinition
            ?? throw new ArgumentException($"task '{context.TaskId}' is a {context.Task.Type} task, not an http task", nameof(context));
        var writer = new SerialLogWriter(log, time);

        HttpRequestMessage request;
        try
        {
            request = BuildRequest(task, context);
        }
        catch (Exception ex) when (ex is TemplateException or UriFormatException or FormatException or InvalidOperationException)
        {
            writer.Write(TaskLogStream.System, ex.Message);
            return TaskOutcome.Failed(ex.Message);
        }

        using var _ = request;
        writer.Write(TaskLogStream.System, $"{request.Method} {request.RequestUri}");
        using var timeout = task.Timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var snippet = await ReadSnippetAsync(response, linked.Token).ConfigureAwait(false);
            writer.Write(TaskLogStream.System, $"status {status} {response.ReasonPhrase}");
            if (snippet.Length > 0)
            {
                writer.Write(TaskLogStream.Stdout, snippet);
            }

            if (task.IsExpected(status))
            {
                return TaskOutcome.Succeeded($"status {status}");
            }

            var expected = task.ExpectedStatus.Count == 0 ? "2xx" : string.Join(", ", task.ExpectedStatus);
            return TaskOutcome.Failed($"unexpected status {status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}; expected {expected}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either our timeout or HttpClient.Timeout fired; both mean the call took too long.
            var outcome = task.Timeout is { } t ? TaskOutcome.TimedOut(t) : new TaskOutcome(TaskOutcomeStatus.TimedOut, $"timed out after {Durations.Format(client.Timeout)} (HttpClient.Timeout)");
            writer.Write(TaskLogStream.System, outcome.Message!);
            return outcome;
        }
        catch (HttpRequestException ex)
        {
            var message = $"request failed: {ex.Message}";
            writer.Write(TaskLogStream.System, message);
            return TaskOutcome.Failed(message);
        }
    }

    private static HttpRequestMessage BuildRequest(HttpTaskDefinition task, TaskContext context)
    {
        var url = context.Render(task.Url, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UriFormatException($"dag '{context.DagId}', task '{context.TaskId}', field 'url': '{url}' is not an absolute http or https URL");
        }

        var request = new HttpRequestMessage(new HttpMethod(task.Method), uri);
        if (task.Body is not null)
        {
            var body = context.Render(task.Body, "body");
            var json = body.TrimStart() is ['{', ..] or ['[', ..];
            request.Content = new StringContent(body, Encoding.UTF8, json ? "application/json" : "text/plain");
        }

        foreach (var (name, template) in task.Headers)
        {
            var value = context.Render(template, $"headers.{name}");
            if (request.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            // Content-Type and friends belong to the content, which a GET may not have yet.
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.Remove(name);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!request.Content.Headers.TryAddWithoutValidation(name, value))
            {
                throw new FormatException($"dag '{context.DagId}', task '{context.TaskId}', field 'headers.{name}': header cannot be set");
            }
        }

        return request;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[SnippetBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return read == buffer.Length ? text + " …(truncated)" : text;
    }
}
