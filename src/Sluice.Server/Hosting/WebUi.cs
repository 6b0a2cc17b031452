using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Sluice.Server.Hosting;

/// <summary>
/// Serves the web UI (wwwroot, embedded in this assembly so the single binary needs no files beside it and no CDN).
/// Deep links such as /connections/42 get index.html, so the page's own router can show them; /api paths never do.
/// </summary>
public static class WebUi
{
    // SLUICE_WEBUI_DIR serves a wwwroot folder from disk instead, so UI work is edit-and-reload without rebuilding.
    private static readonly IFileProvider Files = Environment.GetEnvironmentVariable("SLUICE_WEBUI_DIR") is { Length: > 0 } dir
        ? new PhysicalFileProvider(Path.GetFullPath(dir))
        : new EmbeddedFileProvider(typeof(WebUi).Assembly, "Sluice.Server.wwwroot");

    /// <summary>Call before authentication: the assets are public (the sign-in page needs them), the API is not.</summary>
    public static void UseWebUi(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            // The assets are not fingerprinted: revalidate so an upgrade is picked up at once.
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
        // "nonfile" keeps /app.js-like misses a plain 404 rather than an HTML page a script would choke on.
        app.MapFallback("{*path:nonfile}", async (HttpContext http) =>
        {
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/openapi"))
                return Results.Problem(statusCode: 404, title: "not found", detail: $"no endpoint {http.Request.Path}");
            var index = Files.GetFileInfo("index.html");
            await using var stream = index.CreateReadStream();
            using var reader = new StreamReader(stream);
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Content(await reader.ReadToEndAsync(http.RequestAborted), "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
