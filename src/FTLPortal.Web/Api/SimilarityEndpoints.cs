using System.Security.Claims;
using System.Text.Json;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/similarity</c>: scoring how close domains are, from their agents' summaries.</summary>
internal static class SimilarityEndpoints
{
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapSimilarityEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/similarity").WithTags("Similarity");
        group.MapPost("/", RequestAsync).WithName("RequestSimilarity");
        group.MapGet("/{jobId:guid}", GetAsync).WithName("GetSimilarity");
        return api;
    }

    private static async Task<Results<Accepted<JobDetails>, ProblemHttpResult>> RequestAsync(SimilarityParameters parameters, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var result = await jobs.RequestSimilarityAsync(principal.PortalUser(), parameters, ct);
        return result.Job is { } job
            ? TypedResults.Accepted($"/api/similarity/{job.Id}", JobDetails.From(job))
            : ApiResults.BadRequest(result.Error);
    }

    private static async Task<Results<Ok<SimilarityJobDetails>, ProblemHttpResult>> GetAsync(Guid jobId, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        if (await jobs.FindAsync(principal.PortalUser(), jobId, ct) is not { Kind: JobKind.Similarity } job)
        {
            return ApiResults.NotFound();
        }

        SimilarityResult? result = null;
        if (job.Status == JobStatus.Completed && !string.IsNullOrWhiteSpace(job.ResultJson))
        {
            result = JsonSerializer.Deserialize<SimilarityResult>(job.ResultJson, ResultJson);
        }

        return TypedResults.Ok(new SimilarityJobDetails(JobDetails.From(job), result));
    }
}
