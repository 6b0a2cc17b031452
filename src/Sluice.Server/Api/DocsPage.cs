using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sluice.Server.Api;

/// <summary>
/// /docs: a small self-contained API reference rendered from /openapi/v1.json. Everything is inline (no CDN, no external
/// URL), so it works offline and under a strict Content-Security-Policy of 'self'.
/// </summary>
public static class DocsPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sluice API reference</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}code{background:#f3f3f3;padding:0 .2rem}
        .op{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.4rem .6rem}.m{font-weight:bold;display:inline-block;width:4.5rem}
        .get{color:#06c}.post{color:#080}.put{color:#a60}.delete{color:#c00}pre{background:#f7f7f7;padding:.5rem;overflow:auto}
        </style></head>
        <body><h1>Sluice API reference</h1>
        <p>Authenticate with <code>Authorization: Bearer slu_…</code> (an API token) or sign in through <code>POST /api/v1/auth/login</code>.
        The machine-readable document is <a href="/openapi/v1.json">/openapi/v1.json</a>.</p>
        <div id="ops">loading…</div>
        <script>
        fetch('/openapi/v1.json').then(r => r.json()).then(doc => {
          const root = document.getElementById('ops'); root.textContent = '';
          for (const [path, item] of Object.entries(doc.paths || {})) {
            for (const [method, op] of Object.entries(item)) {
              if (!op || typeof op !== 'object' || !op.responses) continue;
              const div = document.createElement('details'); div.className = 'op';
              const summary = document.createElement('summary');
              const m = document.createElement('span'); m.className = 'm ' + method; m.textContent = method.toUpperCase();
              summary.append(m, ' ', path, op.operationId ? '  (' + op.operationId + ')' : '');
              const pre = document.createElement('pre'); pre.textContent = JSON.stringify(op, null, 2);
              div.append(summary, pre); root.append(div);
            }
          }
          const schemas = document.createElement('details'); schemas.className = 'op';
          const s = document.createElement('summary'); s.textContent = 'Schemas';
          const pre = document.createElement('pre'); pre.textContent = JSON.stringify((doc.components || {}).schemas || {}, null, 2);
          schemas.append(s, pre); root.append(schemas);
        });
        </script></body></html>
        """;

    public static void MapDocs(this IEndpointRouteBuilder app) =>
        app.MapGet("/docs", () => Results.Content(Html, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
}
