using System.Diagnostics;
using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Scheduling;

namespace Sluice.Orchestration.Tests.Execution;

public sealed class HttpTaskExecutorTests : IAsyncLifetime
{
    private readonly TestHttpServer _server = new();
    private readonly HttpClient _client = new();
    private readonly ListLogSink _log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<TaskOutcome> Run(HttpTaskDefinition task, TimeProvider? time = null)
    {
        var context = new TaskContext
        {
            DagId = "d", RunId = "manual__1", Task = task,
            DataInterval = new DataInterval(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero)),
            Params = new Dictionary<string, string> { ["token"] = "s3cret" },
        };
        return await new HttpTaskExecutor(_client, time ?? TimeProvider.System).ExecuteAsync(context, _log, CancellationToken.None);
    }

    private HttpTaskDefinition Get(string path, params int[] expected) =>
        new() { Id = "call", Url = _server.BaseUrl + path, ExpectedStatus = expected };

    [Fact]
    public async Task Expected_status_passes_and_the_body_is_logged()
    {
        var outcome = await Run(Get("/ok"));
        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Contains("hello from server", _log.Texts(TaskLogStream.Stdout));
        Assert.Contains(_log.Texts(TaskLogStream.System), l => l.StartsWith("status 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_error_fails_with_the_status_and_body_in_the_log()
    {
        var outcome = await Run(Get("/fail"));
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("unexpected status 500", outcome.Message);
        Assert.Contains("expected 2xx", outcome.Message);
        Assert.Contains("boom: database unavailable", _log.Texts(TaskLogStream.Stdout));
    }

    [Fact]
    public async Task Expected_status_list_is_exact()
    {
        Assert.True((await Run(Get("/created", 201))).IsSuccess);
        var outcome = await Run(Get("/created", 200, 202));
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("expected 200, 202", outcome.Message);
        Assert.True((await Run(Get("/missing", 404))).IsSuccess);
    }

    [Fact]
    public async Task Method_headers_and_body_are_templated()
    {
        var task = new HttpTaskDefinition
        {
            Id = "call",
            Method = "POST",
            Url = _server.BaseUrl + "/echo?day={{ ds }}",
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer {{ params.token }}" },
            Body = "{\"day\": \"{{ ds }}\"}",
        };
        var outcome = await Run(task);
        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Contains("method=POST auth=Bearer s3cret type=application/json; charset=utf-8 body={\"day\": \"2024-01-02\"}", _log.Texts(TaskLogStream.Stdout));
    }

    [Fact]
    public async Task Long_bodies_are_truncated_in_the_log()
    {
        await Run(Get("/big"));
        var line = Assert.Single(_log.Texts(TaskLogStream.Stdout));
        Assert.EndsWith("(truncated)", line);
        Assert.True(line.Length < HttpTaskExecutor.SnippetBytes + 20);
    }

    [Fact]
    public async Task Timeout_is_reported()
    {
        var watch = Stopwatch.StartNew();
        var outcome = await Run(Get("/slow") with { Timeout = TimeSpan.FromMilliseconds(500) });
        Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
        Assert.Contains("timed out after 500ms", outcome.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Timeout_follows_the_injected_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var running = Run(Get("/slow") with { Timeout = TimeSpan.FromMinutes(5) }, time);
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(TaskOutcomeStatus.TimedOut, outcome.Status);
        Assert.All(_log.Lines, l => Assert.True(l.Timestamp >= time.Start));
        Assert.Contains(_log.Lines, l => l.Timestamp == time.GetUtcNow() && l.Text.Contains("timed out after 5m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connection_refused_is_a_failure()
    {
        var outcome = await Run(new HttpTaskDefinition { Id = "call", Url = "http://127.0.0.1:1/nothing" });
        Assert.Equal(TaskOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("request failed", outcome.Message);
    }
}
