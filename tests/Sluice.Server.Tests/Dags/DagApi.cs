using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests.Dags;

/// <summary>DAG calls a script would make against /api/v1: apply YAML, trigger with params, wait for the run.</summary>
internal static class DagApi
{
    public static async Task<HttpResponseMessage> ApplyAsync(HttpClient api, string yaml) =>
        await api.PostAsync("/api/v1/dags", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    public static async Task<long> TriggerAsync(HttpClient api, string dag, object? parameters = null)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/dags/{dag}/trigger", new { @params = parameters });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    /// <summary>Polls the run until it has finished (generously: the machine may be loaded); returns the run and its tasks by id.</summary>
    public static async Task<(JsonObject Run, Dictionary<string, JsonObject> Tasks)> WaitAsync(HttpClient api, long runId, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var body = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!;
            var run = body["run"]!.AsObject();
            var tasks = body["tasks"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t["taskId"]!.GetValue<string>());
            if (run["state"]!.GetValue<string>() is "success" or "failed")
                return (run, tasks);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {runId} still {run["state"]} after {seconds} s: {body.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static Task<string> LogAsync(HttpClient api, long runId, string task) => api.GetStringAsync($"/api/v1/runs/{runId}/tasks/{task}/logs");
}
