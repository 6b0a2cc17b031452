using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Orchestration.Tests.Execution;

/// <summary>A tiny HttpListener server on 127.0.0.1 with a handful of fixed routes.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestHttpServer()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var (status, body) = context.Request.Url!.AbsolutePath switch
            {
                "/ok" => (200, "hello from server"),
                "/created" => (201, "created"),
                "/fail" => (500, "boom: database unavailable"),
                "/big" => (200, new string('x', 10_000)),
                "/echo" => (200, await EchoAsync(context.Request)),
                "/slow" => await SlowAsync(),
                _ => (404, "not found"),
            };
            response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body);
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception)
        {
            // The client gave up (timeout test) or the server is stopping.
            response.Abort();
        }
    }

    private static async Task<string> EchoAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        return $"method={request.HttpMethod} auth={request.Headers["Authorization"]} type={request.ContentType} body={body}";
    }

    private async Task<(int, string)> SlowAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token);
        return (200, "finally");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }
}
