using System.Security.Claims;
using System.Text;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FTLPortal.Web.Api;

/// <summary><c>/api/jobs</c>: every kind of job, fine-tuning requests, cancellation, rounds, the evaluation and the model card downloads.</summary>
internal static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("Jobs");
        group.MapGet("/", ListAsync).WithName("ListJobs");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetJob");
        group.MapGet("/{id:guid}/rounds", GetRoundsAsync).WithName("GetJobRounds");
        group.MapGet("/{id:guid}/evaluation", GetEvaluationAsync).WithName("GetJobEvaluation");
        group.MapPost("/fine-tuning", RequestFineTuningAsync).WithName("RequestFineTuning");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelJob");
        group.MapPost("/{id:guid}/clone", CloneAsync).WithName("CloneJob");
        group.MapPost("/{id:guid}/rerun", RerunAsync).WithName("RerunJob");
        group.MapGet("/schedules", ListSchedulesAsync).WithName("ListSchedules");
        group.MapDelete("/schedules/{scheduleId:guid}", DeleteScheduleAsync).WithName("DeleteSchedule");

        var cards = group.MapGroup("/{id:guid}").WithTags("Model cards");
        cards.MapGet("/model-card.md", DownloadCardMarkdownAsync).WithName("DownloadModelCardMarkdown");
        cards.MapGet("/model-card.json", DownloadCardJsonAsync).WithName("DownloadModelCardJson");
        cards.MapGet("/weights.safetensors", DownloadWeightsAsync).WithName("DownloadFineTunedWeights");
        cards.MapGet("/package", DownloadPackageAsync).WithName("DownloadModelPackage");
        return api;
    }

    private static async Task<Results<Ok<List<JobDetails>>, ProblemHttpResult>> ListAsync(string? kind, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        JobKind? filter = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<JobKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ApiResults.BadRequest($"Unknown job kind '{kind}'; use one of {string.Join(", ", Enum.GetNames<JobKind>())}.");
            }

            filter = parsed;
        }

        return TypedResults.Ok((await jobs.ListAsync(principal.PortalUser(), filter, ct)).Select(JobDetails.From).ToList());
    }

    private static async Task<Results<Ok<JobDetails>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct) =>
        await jobs.FindAsync(principal.PortalUser(), id, ct) is { } job ? TypedResults.Ok(JobDetails.From(job)) : ApiResults.NotFound();

    private static async Task<Results<Ok<IReadOnlyList<RoundMetric>>, ProblemHttpResult>> GetRoundsAsync(Guid id, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await jobs.FindAsync(user, id, ct) is null)
        {
            return ApiResults.NotFound();
        }

        return TypedResults.Ok(await jobs.GetRoundsAsync(user, id, ct));
    }

    /// <summary>
    /// A fine-tuning job's evaluation, the object its page and its model card show: per-round global-model validation
    /// numbers and, once finished, the final test-split numbers per domain (metrics with bootstrap intervals, baselines,
    /// negative-transfer flag, k-fold estimates of small domains). A partner admin gets its own domains only.
    /// </summary>
    private static async Task<Results<Ok<JobEvaluationView>, ProblemHttpResult>> GetEvaluationAsync(Guid id, ClaimsPrincipal principal, IJobEvaluationService evaluations, CancellationToken ct) =>
        await evaluations.GetAsync(principal.PortalUser(), id, ct) is { } view ? TypedResults.Ok(view) : ApiResults.NotFound();

    /// <summary>Now (the default), at <c>timing.runAt</c>, or recurring on <c>timing.cron</c> in <c>timing.timeZoneId</c> (201 with the schedule).</summary>
    private static async Task<Results<Accepted<JobDetails>, Created<ScheduleDetails>, ProblemHttpResult>> RequestFineTuningAsync(FineTuningRequest request, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        if (request.Parameters is null)
        {
            return ApiResults.BadRequest("Give the fine-tuning parameters.");
        }

        var result = await jobs.ScheduleFineTuningAsync(principal.PortalUser(), request.Name ?? "", request.Parameters, request.Timing ?? JobTiming.Now, ct);
        if (result.Schedule is { } schedule)
        {
            return TypedResults.Created($"/api/jobs/schedules/{schedule.Id}", ScheduleDetails.From(schedule));
        }

        return result.Job is { } job
            ? TypedResults.Accepted($"/api/jobs/{job.Id}", JobDetails.From(job))
            : ApiResults.BadRequest(result.Error);
    }

    /// <summary>A new job from a finished one's request, now or at <c>runAt</c> (body optional).</summary>
    private static async Task<Results<Accepted<JobDetails>, ProblemHttpResult>> CloneAsync(Guid id, JobTiming? timing, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await jobs.FindAsync(user, id, ct) is null)
        {
            return ApiResults.NotFound();
        }

        var result = await jobs.CloneAsync(user, id, timing ?? JobTiming.Now, ct);
        return result.Job is { } job
            ? TypedResults.Accepted($"/api/jobs/{job.Id}", JobDetails.From(job))
            : ApiResults.BadRequest(result.Error);
    }

    private static async Task<Results<Accepted<JobDetails>, ProblemHttpResult>> RerunAsync(Guid id, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await jobs.FindAsync(user, id, ct) is null)
        {
            return ApiResults.NotFound();
        }

        var result = await jobs.RerunAsync(user, id, ct);
        return result.Job is { } job
            ? TypedResults.Accepted($"/api/jobs/{job.Id}", JobDetails.From(job))
            : ApiResults.Conflict(result.Error ?? "The job cannot be re-run.");
    }

    private static async Task<Ok<List<ScheduleDetails>>> ListSchedulesAsync(ClaimsPrincipal principal, IJobService jobs, CancellationToken ct) =>
        TypedResults.Ok((await jobs.ListSchedulesAsync(principal.PortalUser(), ct)).Select(ScheduleDetails.From).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteScheduleAsync(Guid scheduleId, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct) =>
        await jobs.DeleteScheduleAsync(principal.PortalUser(), scheduleId, ct) ? TypedResults.NoContent() : ApiResults.NotFound();

    private static async Task<Results<Accepted<JobDetails>, ProblemHttpResult>> CancelAsync(Guid id, ClaimsPrincipal principal, IJobService jobs, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await jobs.FindAsync(user, id, ct) is not { } job)
        {
            return ApiResults.NotFound();
        }

        if (!user.CanOperate && !user.CanRunScience)
        {
            return ApiResults.Forbidden("Only ops, data scientists and admins can cancel jobs.");
        }

        if (job.IsFinished || !await jobs.CancelAsync(user, id, ct))
        {
            // Read again: the job may have ended between the first read and the refused cancel; name the state it is in now.
            var now = await jobs.FindAsync(user, id, ct) ?? job;
            return ApiResults.Conflict($"The job is {now.Status.ToString().ToUpperInvariant()} and can no longer be cancelled.");
        }

        var current = await jobs.FindAsync(user, id, ct) ?? job;
        return TypedResults.Accepted($"/api/jobs/{id}", JobDetails.From(current));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadCardMarkdownAsync(Guid id, ClaimsPrincipal principal, IModelCardService cards, CancellationToken ct) =>
        await cards.FindByJobAsync(principal.PortalUser(), id, ct) is { } card
            ? TypedResults.File(Encoding.UTF8.GetBytes(card.Markdown), "text/markdown; charset=utf-8", $"{card.ModelName}.md")
            : ApiResults.NotFound();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadCardJsonAsync(Guid id, ClaimsPrincipal principal, IModelCardService cards, CancellationToken ct) =>
        await cards.FindByJobAsync(principal.PortalUser(), id, ct) is { } card
            ? TypedResults.File(Encoding.UTF8.GetBytes(card.Json), "application/json", $"{card.ModelName}.json")
            : ApiResults.NotFound();

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadWeightsAsync(Guid id, ClaimsPrincipal principal, IModelCardService cards, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await cards.FindByJobAsync(user, id, ct) is not { } card || await cards.ReadWeightsAsync(user, card.Id, ct) is not { } weights)
        {
            return ApiResults.NotFound();
        }

        return TypedResults.File(weights, "application/octet-stream", $"{card.ModelName}.safetensors");
    }

    /// <summary>
    /// The portable model package (zip): weights (safetensors), architecture, preprocessing, the model card with the weights
    /// file's SHA-256, and a README with the <c>FTLPortal.Agent predict</c> example. Partner admins only for jobs they joined.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadPackageAsync(Guid id, ClaimsPrincipal principal, IModelCardService cards, CancellationToken ct)
    {
        var user = principal.PortalUser();
        if (await cards.FindByJobAsync(user, id, ct) is not { } card || await cards.ReadPackageAsync(user, id, ct) is not { } package)
        {
            return ApiResults.NotFound();
        }

        return TypedResults.File(package, "application/zip", $"{card.ModelName}.zip");
    }
}
