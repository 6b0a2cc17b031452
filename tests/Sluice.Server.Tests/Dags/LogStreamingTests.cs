using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests.Dags;

/// <summary>A running task's log streamed through the API: lines arrive while the task runs, and the stream ends with the run.</summary>
public sealed class LogStreamingTests
{
    [Fact]
    public async Task Follow_streams_a_running_tasks_log_and_ends_when_the_run_ends()
    {
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        var applied = await DagApi.ApplyAsync(api, """
            name: chatty
            tasks:
              - id: talk
                type: command
                command: sh
                args: ["-c", "echo first line; sleep 6; echo second line"]
            """);
        applied.EnsureSuccessStatusCode();
        var runId = await DagApi.TriggerAsync(api, "chatty");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{runId}/tasks/talk/logs?follow=true");
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        string? stateWhenFirstArrived = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await stream.ReadAsync(buffer, timeout.Token) is var n and > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            if (stateWhenFirstArrived is null && received.ToString().Contains("first line"))
                stateWhenFirstArrived = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!["tasks"]![0]!["state"]!.GetValue<string>();
        }

        // The first line was readable while the task was still sleeping; the stream closed only after the run ended.
        Assert.Equal("running", stateWhenFirstArrived);
        Assert.Contains("second line", received.ToString());
        Assert.Contains("--- talk, attempt 1 ---", received.ToString());
        Assert.Equal("success", (await DagApi.WaitAsync(api, runId, seconds: 5)).Run["state"]!.GetValue<string>());
    }
}
