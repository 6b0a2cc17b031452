using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Model;
using Sluice.Metadata;
using Sluice.Server.Jobs;

using Sluice.Metadata.Identity;
using Sluice.Server.Security;

namespace Sluice.Server.Api;

/// <summary>/api/v1/jobs: sync jobs with status and stats, their attempts and logs (streamed while running).</summary>
public static class JobsApi
{
    public static void MapJobs(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("jobs");
        group.MapGet("/", async (Guid? connection, [AsParameters] PageQuery page, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await PageAsync(ctx, http, (await ctx.WorkspaceAsync(http, ct)).Id, connection, page, ct))).RequireRole(Role.Viewer).WithName("list-jobs");
        group.MapGet("/{id:long}", async (long id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(JobResponse.From(await GetAsync(ctx, http, id, ct)))).RequireRole(Role.Viewer).WithName("get-job");
        group.MapGet("/{id:long}/attempts", async (long id, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, http, id, ct);
            var attempts = await ctx.Store.Jobs.ListAttemptsAsync(id, ct);
            return TypedResults.Ok(attempts.Select(AttemptResponse.From).ToList());
        }).RequireRole(Role.Viewer).WithName("list-job-attempts");
        group.MapPost("/{id:long}/cancel", async (long id, ApiContext ctx, JobQueue queue, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, http, id, ct);
            return await queue.CancelAsync(id, ct) ? Results.Accepted() : Results.Conflict(new { detail = $"job {id} is not running (it has ended, or it runs in a process this server cannot reach)" });
        }).RequireRole(Role.Editor).WithName("cancel-job");
        group.MapGet("/{id:long}/logs", async (long id, bool? follow, ApiContext ctx, HttpContext http, CancellationToken ct) =>
        {
            await GetAsync(ctx, http, id, ct);
            http.Response.ContentType = "text/plain; charset=utf-8";
            var sent = new Dictionary<int, int>();
            while (true)
            {
                foreach (var attempt in await ctx.Store.Jobs.ListAttemptsAsync(id, ct))
                {
                    var log = attempt.Log ?? "";
                    var offset = sent.GetValueOrDefault(attempt.Number);
                    if (offset == 0 && log.Length > 0)
                        await http.Response.WriteAsync($"--- attempt {attempt.Number} ---\n", ct);
                    if (log.Length > offset)
                    {
                        await http.Response.WriteAsync(log[offset..], ct);
                        sent[attempt.Number] = log.Length;
                    }
                }
                await http.Response.Body.FlushAsync(ct);
                var job = await GetAsync(ctx, http, id, ct);
                if (follow != true || job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
                    break;
                await Task.Delay(TimeSpan.FromMilliseconds(500), ctx.Time, ct);
            }
        }).RequireRole(Role.Viewer).DisableRequestTimeout().WithName("get-job-logs");
    }

    /// <summary>The job when it belongs to a connection of the request's workspace; another workspace's job does not exist for the caller.</summary>
    private static async Task<Job> GetAsync(ApiContext ctx, HttpContext http, long id, CancellationToken ct)
    {
        var workspace = await ctx.WorkspaceAsync(http, ct);
        var job = await ctx.Store.Jobs.GetAsync(id, ct);
        if (job is null || await ctx.Store.Jobs.WorkspaceOfAsync(id, ct) != workspace.Id)
            throw new NotFoundException("job", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return job;
    }

    internal static async Task<Page<JobResponse>> PageAsync(ApiContext ctx, HttpContext http, Guid workspaceId, Guid? connection, PageQuery page, CancellationToken ct)
    {
        var jobs = await ctx.Store.Jobs.ListInWorkspaceAsync(workspaceId, connection, page.Fetch, page.AfterId(), ct);
        return page.Page(http, jobs.Select(JobResponse.From).ToList(), j => j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
