using System.Collections.Concurrent;
using System.Net;

namespace Sluice.Distributed.Tests.MultiHost;

/// <summary>
/// A tiny HTTP endpoint in the test process that counts requests per path: http tasks call it with their task id in
/// the URL, so the test sees every execution, whichever worker ran it.
/// </summary>
internal sealed class HitCounter : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public HitCounter(string address)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Sluice.Testing.FreePort.Next();
            Prefix = $"http://{address}:{port}/";
            try
            {
                _listener.Prefixes.Add(Prefix);
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Prefixes.Clear();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public string Prefix { get; private set; } = "";

    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Hits.AddOrUpdate(context.Request.Url!.AbsolutePath.Trim('/'), 1, (_, n) => n + 1);
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }
}
