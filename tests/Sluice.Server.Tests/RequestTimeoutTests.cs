using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary>A request that outlives the server's deadline is answered 504 with a problem detail and no stack trace.</summary>
public sealed class RequestTimeoutTests
{
    [Fact]
    public async Task A_request_whose_body_never_arrives_gets_a_504_problem_detail_after_the_configured_timeout()
    {
        // Signing in hashes a password, which can itself outlast a short deadline on a loaded machine: tokens come from the store.
        await using var server = await TestServer.StartAsync(o => o with { RequestTimeout = TimeSpan.FromSeconds(2) });
        using var editor = await server.AsRoleAsync(Sluice.Metadata.Identity.Role.Editor);
        var token = editor.DefaultRequestHeaders.Authorization!.Parameter!;

        // A client that announces a body and sends only its first bytes: the handler waits for the rest until the deadline.
        // (DAG YAML is read by the handler under the request's deadline; a JSON body bound by the framework is bounded by
        // Kestrel's minimum data rate instead, which answers 408.)
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        const string partial = "name: slow\ntasks:\n";
        var head = $"POST /api/v1/dags HTTP/1.1\r\nHost: {server.Address.Authority}\r\nAuthorization: Bearer {token}\r\n"
            + $"Content-Type: application/yaml\r\nContent-Length: 200\r\nConnection: close\r\n\r\n{partial}";
        var started = DateTime.UtcNow;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var read = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await reader.ReadToEndAsync(read.Token);
        var elapsed = DateTime.UtcNow - started;

        Assert.StartsWith("HTTP/1.1 504", response);
        Assert.Contains("application/problem+json", response);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {elapsed}, before the 2 s deadline");
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        // Chunked or not, the problem detail is the JSON object in the body.
        var json = JsonNode.Parse(body[body.IndexOf('{')..(body.LastIndexOf('}') + 1)])!.AsObject();
        Assert.Equal(504, json["status"]!.GetValue<int>());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);

        // The server is fine afterwards, and the timed-out attempt is audited with the status the client got.
        using var check = await server.AsRoleAsync(Sluice.Metadata.Identity.Role.Admin);
        var audit = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonObject>(check, "/api/v1/audit"))!["items"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "apply-dags" && e["status"]!.GetValue<int>() == 504);
    }
}
