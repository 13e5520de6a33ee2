using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Learning.Models;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Validates requests, records jobs and hands them to the scheduler.</summary>
internal sealed class JobService(IDbContextFactory<PortalDbContext> dbFactory, QuartzJobScheduler scheduler, IJobNotifier notifier, JobCancellationRequests cancellations) : IJobService
{
    public async Task<JobRequestResult> RequestSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return JobRequestResult.Failure("Only data scientists can score similarity.");
        }

        var ids = parameters.DomainIds.Distinct().ToList();
        if (ids.Count < 2)
        {
            return JobRequestResult.Failure("Select at least two domains to compare.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domains = await db.Domains.Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        if (domains.Count != ids.Count)
        {
            return JobRequestResult.Failure("One of the selected domains no longer exists.");
        }

        if (domains.FirstOrDefault(d => !d.SimilarityConsent) is { } refused)
        {
            return JobRequestResult.Failure($"The owner of '{refused.Name}' has not consented to similarity scoring.");
        }

        var job = NewJob(user, JobKind.Similarity, $"Similarity of {domains.Count} domains", parameters with { DomainIds = ids }, domains.Select(d => d.PartnerId));
        return await QueueAsync(db, job, cancellationToken);
    }

    public async Task<JobRequestResult> RequestPretrainingAsync(PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return JobRequestResult.Failure("Only data scientists can pre-train base models.");
        }

        if (string.IsNullOrWhiteSpace(parameters.ModelName) || parameters.ModelName.Length > 100)
        {
            return JobRequestResult.Failure("Give the base model a name of 1 to 100 characters.");
        }

        if (parameters.HiddenSizes.Count is 0 or > 8 || parameters.HiddenSizes.Any(h => h is < 1 or > 4096))
        {
            return JobRequestResult.Failure("Hidden layers: 1 to 8 layers of 1 to 4096 units.");
        }

        if (Validate(parameters.Epochs, parameters.LearningRate, parameters.BatchSize) is { } error)
        {
            return JobRequestResult.Failure(error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == parameters.SourceDomainId, cancellationToken);
        if (domain is null)
        {
            return JobRequestResult.Failure("Choose a source domain.");
        }

        if (!domain.TrainingConsent)
        {
            return JobRequestResult.Failure($"The owner of '{domain.Name}' has not consented to training on it.");
        }

        var job = NewJob(user, JobKind.Pretraining, $"Pre-train {parameters.ModelName.Trim()} on {domain.Name}", parameters with { ModelName = parameters.ModelName.Trim() }, [domain.PartnerId]);
        job.TotalRounds = parameters.Epochs;
        return await QueueAsync(db, job, cancellationToken);
    }

    public async Task<JobRequestResult> RequestFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return JobRequestResult.Failure("Only data scientists can schedule fine-tuning.");
        }

        if (parameters.Rounds is < 1 or > 200)
        {
            return JobRequestResult.Failure("Rounds must be between 1 and 200.");
        }

        if (Validate(parameters.LocalEpochs, parameters.LearningRate, parameters.BatchSize) is { } error)
        {
            return JobRequestResult.Failure(error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.BaseModels.FirstOrDefaultAsync(m => m.Id == parameters.BaseModelId, cancellationToken);
        if (model is null)
        {
            return JobRequestResult.Failure("Choose a base model.");
        }

        var architecture = ModelArchitecture.FromJson(model.ArchitectureJson);
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(model.LayersJson) ?? [];
        var trainable = layers.Where(l => l.ParameterCount > 0).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var frozen = parameters.FrozenLayers.Distinct(StringComparer.Ordinal).ToList();
        if (frozen.FirstOrDefault(f => !trainable.Contains(f)) is { } unknown)
        {
            return JobRequestResult.Failure($"The base model has no layer with weights named '{unknown}'.");
        }

        if (frozen.Count == trainable.Count)
        {
            return JobRequestResult.Failure("Every layer is frozen: leave at least one layer trainable.");
        }

        var targetIds = parameters.TargetDomainIds.Distinct().ToList();
        if (targetIds.Count == 0)
        {
            return JobRequestResult.Failure("Select at least one target domain.");
        }

        var domains = await db.Domains.Where(d => targetIds.Contains(d.Id)).ToListAsync(cancellationToken);
        if (domains.Count != targetIds.Count)
        {
            return JobRequestResult.Failure("One of the selected domains no longer exists.");
        }

        foreach (var domain in domains)
        {
            if (!domain.TrainingConsent)
            {
                return JobRequestResult.Failure($"The owner of '{domain.Name}' has not consented to joining jobs.");
            }

            var statistics = DomainStatistics.FromSummaryJson(domain.SummaryJson);
            if (statistics.FeatureNames.Count != architecture.InputSize)
            {
                return JobRequestResult.Failure($"'{domain.Name}' has {statistics.FeatureNames.Count} features; the base model expects {architecture.InputSize}.");
            }

            if (statistics.ClassNames.FirstOrDefault(c => !architecture.ClassNames.Contains(c)) is { } unknownClass)
            {
                return JobRequestResult.Failure($"'{domain.Name}' has the class '{unknownClass}', which the base model does not know.");
            }
        }

        var jobName = string.IsNullOrWhiteSpace(name) ? $"Fine-tune {model.Name} v{model.Version}" : name.Trim();
        var job = NewJob(user, JobKind.FineTuning, jobName, parameters with { FrozenLayers = frozen, TargetDomainIds = targetIds }, domains.Select(d => d.PartnerId));
        job.TotalRounds = parameters.Rounds;
        return await QueueAsync(db, job, cancellationToken);
    }

    public async Task<IReadOnlyList<PortalJob>> ListAsync(PortalUserContext user, JobKind? kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Jobs.AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(j => j.Kind == k);
        }

        if (!user.SeesAllJobs)
        {
            var partner = (user.PartnerId ?? Guid.Empty).ToString();
            query = query.Where(j => j.InvolvedPartners.Contains(partner));
        }

        var jobs = await query.OrderByDescending(j => j.CreatedAt).Take(500).ToListAsync(cancellationToken);
        return user.SeesAllJobs ? jobs : jobs.Where(j => CanSee(user, j)).ToList();
    }

    public async Task<PortalJob?> FindAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is not null && CanSee(user, job) ? job : null;
    }

    public async Task<IReadOnlyList<RoundMetric>> GetRoundsAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        if (await FindAsync(user, jobId, cancellationToken) is null)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rounds = db.RoundMetrics.AsNoTracking().Where(m => m.JobId == jobId);
        if (!user.SeesAllJobs)
        {
            // A partner admin sees its own partner's per-round metrics, not the other partners'.
            var partner = user.PartnerId ?? Guid.Empty;
            rounds = rounds.Where(m => m.PartnerId == partner);
        }

        return await rounds.OrderBy(m => m.Round).ThenBy(m => m.PartnerName).ToListAsync(cancellationToken);
    }

    public async Task<bool> CancelAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.CanOperate && !user.CanRunScience)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.IsFinished)
        {
            return false;
        }

        cancellations.Request(jobId);
        if (job.Status == JobStatus.Running && await scheduler.InterruptAsync(jobId, cancellationToken))
        {
            // The runner records Cancelled when the interruption reaches it.
            return true;
        }

        // Not running here: nothing will observe the request, so remove the job instead.
        cancellations.Forget(jobId);
        await scheduler.UnscheduleAsync(jobId, cancellationToken);
        job.Status = JobStatus.Cancelled;
        job.FinishedAt = DateTimeOffset.UtcNow;
        job.ProgressMessage = "Cancelled before it ran.";
        await db.SaveChangesAsync(cancellationToken);
        notifier.Publish(JobEvents.StatusChanged(job));
        return true;
    }

    // Interim until the Hangfire scheduler lands (next commits): the contract for the scheduling form.
    public Task<ScheduleRequestResult> ScheduleSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, JobTiming timing, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ScheduleRequestResult> ScheduleFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, JobTiming timing, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<JobRequestResult> CloneAsync(PortalUserContext user, Guid jobId, JobTiming timing, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<JobRequestResult> RerunAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<RecurringSchedule>> ListSchedulesAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> DeleteScheduleAsync(PortalUserContext user, Guid scheduleId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>
    /// Coordinator staff see every job; a partner admin sees jobs its partner takes part in, except similarity jobs
    /// that also score other partners' domains (their result names every domain compared).
    /// </summary>
    internal static bool CanSee(PortalUserContext user, PortalJob job)
    {
        if (user.SeesAllJobs)
        {
            return true;
        }

        if (user.PartnerId is not { } partner)
        {
            return false;
        }

        var involved = job.InvolvedPartners.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var own = partner.ToString();
        return job.Kind == JobKind.Similarity
            ? involved.Length > 0 && involved.All(p => string.Equals(p, own, StringComparison.OrdinalIgnoreCase))
            : involved.Contains(own, StringComparer.OrdinalIgnoreCase);
    }

    private static string? Validate(int epochs, double learningRate, int batchSize)
    {
        if (epochs is < 1 or > 500)
        {
            return "Epochs must be between 1 and 500.";
        }

        if (!(learningRate > 0 && learningRate <= 1))
        {
            return "The learning rate must be above 0 and at most 1.";
        }

        return batchSize is < 1 or > 8192 ? "The batch size must be between 1 and 8192." : null;
    }

    private static PortalJob NewJob<T>(PortalUserContext user, JobKind kind, string name, T parameters, IEnumerable<Guid> partners) => new()
    {
        Kind = kind,
        Name = name,
        ParametersJson = JsonSerializer.Serialize(parameters),
        InvolvedPartners = string.Join(',', partners.Distinct()),
        CreatedBy = user.Email,
        ProgressMessage = "Queued",
    };

    private async Task<JobRequestResult> QueueAsync(PortalDbContext db, PortalJob job, CancellationToken cancellationToken)
    {
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleAsync(job, cancellationToken);
        notifier.Publish(JobEvents.StatusChanged(job));
        return JobRequestResult.Success(job);
    }
}
