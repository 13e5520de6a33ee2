using System.Security.Claims;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/models</c>: versioned base models, their layers and weights, and pre-training.</summary>
internal static class BaseModelEndpoints
{
    public static RouteGroupBuilder MapBaseModelEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/models").WithTags("Base models");
        group.MapGet("/", ListAsync).WithName("ListBaseModels");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetBaseModel");
        group.MapGet("/{id:guid}/weights.safetensors", DownloadWeightsAsync).WithName("DownloadBaseModelWeights");
        group.MapPost("/pretrain", PretrainAsync).WithName("RequestPretraining");
        return api;
    }

    private static async Task<Ok<List<BaseModelListItem>>> ListAsync(ClaimsPrincipal principal, IBaseModelService models, CancellationToken ct) =>
        TypedResults.Ok((await models.ListAsync(principal.PortalUser(), ct)).Select(BaseModelListItem.From).ToList());

    private static async Task<Results<Ok<BaseModelDetails>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal principal, IBaseModelService models, CancellationToken ct) =>
        await models.FindAsync(principal.PortalUser(), id, ct) is { } model ? TypedResults.Ok(BaseModelDetails.From(model)) : ApiResults.NotFound();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadWeightsAsync(Guid id, ClaimsPrincipal principal, IBaseModelService models, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await models.FindAsync(user, id, ct) is not { } model || await models.ReadWeightsAsync(user, id, ct) is not { } weights)
        {
            return ApiResults.NotFound();
        }

        return TypedResults.File(weights, "application/octet-stream", $"{model.Name}-v{model.Version}.safetensors");
    }

    private static async Task<Results<Accepted<JobDetails>, ProblemHttpResult>> PretrainAsync(PretrainingParameters parameters, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var result = await jobs.RequestPretrainingAsync(principal.PortalUser(), parameters, ct);
        return result.Job is { } job
            ? TypedResults.Accepted($"/api/jobs/{job.Id}", JobDetails.From(job))
            : ApiResults.BadRequest(result.Error);
    }
}
