using System.Security.Claims;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.Common;
using Microsoft.AspNetCore.Http.Features;
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
        group.MapPost("/import", ImportAsync)
            .WithName("ImportBaseModel")
            .Accepts<IFormFile>("multipart/form-data")
            // Like POST /api/domains: ApiForgeryGuard requires the X-FTL-Request header on multipart instead of a form token.
            .DisableAntiforgery();
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

    /// <summary>Room in the multipart body beside the weights file: the name, format and architecture fields.</summary>
    private const long FormSlackBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Multipart fields: <c>name</c>, <c>architecture</c> (JSON text or a file part), <c>weights</c> (file), <c>format</c>
    /// (safetensors | state_dict; empty = detect from the file). The role is checked before the body is read, and the body
    /// limits are raised for this request only to the configured cap.
    /// </summary>
    private static async Task<Results<Created<BaseModelDetails>, ProblemHttpResult>> ImportAsync(
        HttpContext context, ClaimsPrincipal principal, IBaseModelImportService imports, BaseModelImportLimits limits, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (!user.CanRunScience)
        {
            return ApiResults.Forbidden("Only data scientists and admins may import base models.");
        }

        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return ApiResults.BadRequest("Send multipart/form-data with the fields name, architecture, weights and optionally format.");
        }

        var tooLarge = $"The upload is larger than the import limit of {PortalFormat.Bytes(limits.MaxUploadBytes)}. Nothing was stored.";
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxUploadBytes + FormSlackBytes;
        }

        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limits.MaxUploadBytes + FormSlackBytes }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // The multipart reader's limit: the body is over the cap.
            return ApiResults.TooLarge(tooLarge);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiResults.TooLarge(tooLarge);
        }

        if (form.Files.GetFile("weights") is not { } weights)
        {
            return ApiResults.BadRequest("Attach the weights file (form field 'weights': safetensors or a torch.save state_dict).");
        }

        if (weights.Length > limits.MaxUploadBytes)
        {
            return ApiResults.TooLarge(tooLarge);
        }

        if (!TryParseFormat(form["format"].ToString(), out var format))
        {
            return ApiResults.BadRequest($"format must be 'safetensors' or 'state_dict' (or empty to detect it), not '{form["format"]}'.");
        }

        var architecture = form["architecture"].ToString();
        if (architecture.Length == 0 && form.Files.GetFile("architecture") is { } architectureFile)
        {
            using var reader = new StreamReader(architectureFile.OpenReadStream());
            architecture = await reader.ReadToEndAsync(ct);
        }

        if (string.IsNullOrWhiteSpace(architecture))
        {
            return ApiResults.BadRequest("Attach the architecture (form field 'architecture': the portal's architecture JSON, as text or a file).");
        }

        await using var stream = weights.OpenReadStream();
        var result = await imports.ImportAsync(user, new BaseModelImport(form["name"].ToString(), architecture, format, weights.FileName), stream, ct);
        return result.Refusal switch
        {
            BaseModelImportRefusal.None => TypedResults.Created($"/api/models/{result.Model!.Id}", BaseModelDetails.From(result.Model, result.Notes)),
            BaseModelImportRefusal.Forbidden => ApiResults.Forbidden(result.Error!),
            BaseModelImportRefusal.TooLarge => ApiResults.TooLarge(result.Error!),
            _ => ApiResults.BadRequest(result.Error),
        };
    }

    private static bool TryParseFormat(string text, out BaseModelWeightsFormat format)
    {
        format = text.Trim().ToLowerInvariant() switch
        {
            "" or "detect" or "auto" => BaseModelWeightsFormat.Detect,
            "safetensors" => BaseModelWeightsFormat.Safetensors,
            "state_dict" or "statedict" or "pytorch" or "pt" or "pth" => BaseModelWeightsFormat.StateDict,
            _ => (BaseModelWeightsFormat)(-1),
        };
        return Enum.IsDefined(format);
    }
}
