using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Core.Model;
using Sluice.Metadata;
using Sluice.Server.Api;
using Sluice.Server.Demo;
using Sluice.Server.Jobs;
using Sluice.Server.Security;

namespace Sluice.Server.Hosting;

/// <summary>Builds the web host of <c>sluice standalone</c> and <c>sluice server</c>: API, OpenAPI, health, and the in-process job runner.</summary>
public static class SluiceHost
{
    public static async Task<WebApplication> BuildAsync(SluiceOptions options, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.Logging.ClearProviders();
        if (logging is null)
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        else
            logging(builder.Logging);
        builder.Services.AddSluiceCore(options);
        builder.Services.AddSingleton<ApiContext>();
        builder.Services.AddSluiceSecurity();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobQueue>());
        builder.Services.AddSluiceOrchestration(runSchedulerAndWorker: options.RunJobs);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiErrors>();
        builder.Services.AddSluiceOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddApiLimits(options.RequestTimeout, options.ConnectorRequestTimeout);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes);

        var app = builder.Build();
        var store = app.Services.GetRequiredService<IMetadataStore>();
        if (options.Migrate)
            await store.MigrateAsync();
        else
            await store.EnsureSchemaAsync();
        await store.Workspaces.GetOrCreateDefaultAsync();
        var generated = await AdminBootstrap.EnsureAsync(store, options.AdminPassword);
        if (generated is not null)
        {
            // Printed once, on the console only (never through the logger, whose output may be shipped elsewhere).
            Console.WriteLine($"Created user '{AdminBootstrap.AdminName}' with password: {generated}");
            Console.WriteLine($"  It is not shown again. Set {AdminBootstrap.PasswordVariable} before the first start to choose it.");
        }
        if (options.CreateDemo)
            await DemoPipeline.EnsureAsync(app.Services, app.Logger);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebUi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        app.UseMiddleware<AuditTrail>();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapDocs();
        app.MapGet("/healthz", async (IMetadataStore s, CancellationToken ct) =>
        {
            await s.SchemaVersionAsync(ct);
            return TypedResults.Ok(new { status = "ok" });
        }).WithTags("health").AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        api.MapAuth();
        api.MapUsers();
        api.MapTokens();
        api.MapAdmin();
        api.MapConnectors();
        api.MapActors(ActorKind.Source);
        api.MapActors(ActorKind.Destination);
        api.MapConnections();
        api.MapConnectionSchema();
        api.MapJobs();
        api.MapDags();
        api.MapSchedules();
        api.MapRuns();
        api.MapWorkers();
        api.MapPools();
        return app;
    }
}
