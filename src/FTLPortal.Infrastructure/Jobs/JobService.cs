using System.Globalization;
using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Engines;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Learning.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Validates requests, records jobs and recurring schedules, and hands them to the scheduler.</summary>
internal sealed class JobService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IJobScheduler scheduler,
    IJobNotifier notifier,
    TimeProvider clock,
    IOptions<JobReliabilityOptions> reliability,
    CappedInsert cappedInsert,
    PortalEngines engines,
    AgentDirectory agents) : IJobService
{
    /// <summary>The shadow column naming the scheduler occurrence that created a recurring schedule's job (one job per occurrence).</summary>
    internal const string OccurrenceColumn = "ScheduleOccurrence";

    /// <summary>How far ahead a one-off job may be scheduled.</summary>
    internal static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(366);

    /// <summary>The smallest learning rate accepted: well inside float32's normal range, where updates still move weights.</summary>
    internal const float SmallestLearningRate = 1e-10f;

    public Task<JobRequestResult> RequestSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken) =>
        RunNowAsync(ScheduleSimilarityAsync(user, parameters, JobTiming.Now, cancellationToken));

    public Task<ScheduleRequestResult> ScheduleSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, JobTiming timing, CancellationToken cancellationToken) =>
        ScheduleSimilarityAsync(user, parameters, timing, null, cancellationToken);

    public async Task<JobRequestResult> RequestPretrainingAsync(PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var prepared = await PreparePretrainingAsync(db, user, parameters, cancellationToken);
        return prepared.Job is { } job ? await QueueAsync(db, job, cancellationToken) : JobRequestResult.Failure(prepared.Error!);
    }

    public Task<JobRequestResult> RequestFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken) =>
        RunNowAsync(ScheduleFineTuningAsync(user, name, parameters, JobTiming.Now, cancellationToken));

    public Task<ScheduleRequestResult> ScheduleFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, JobTiming timing, CancellationToken cancellationToken) =>
        ScheduleFineTuningAsync(user, name, parameters, timing, null, cancellationToken);

    public async Task<JobRequestResult> CloneAsync(PortalUserContext user, Guid jobId, JobTiming timing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(timing);
        if (timing.Kind == JobTimingKind.Recurring)
        {
            return JobRequestResult.Failure("A clone runs once: choose now or a date and time.");
        }

        if (await FindAsync(user, jobId, cancellationToken) is not { } source)
        {
            return JobRequestResult.Failure("The job does not exist.");
        }

        if (!source.IsFinished)
        {
            return JobRequestResult.Failure("Only a finished job can be cloned; this one is still " + source.Status.ToString().ToUpperInvariant() + ".");
        }

        // The stored request goes through today's checks again: consent or a domain may have changed since.
        ScheduleRequestResult result;
        switch (source.Kind)
        {
            case JobKind.Similarity:
                result = await ScheduleSimilarityAsync(user, Deserialize<SimilarityParameters>(source.ParametersJson), timing, source.Id, cancellationToken);
                break;
            case JobKind.FineTuning:
                result = await ScheduleFineTuningAsync(user, source.Name, Deserialize<FineTuningParameters>(source.ParametersJson), timing, source.Id, cancellationToken);
                break;
            default:
                if (timing.Kind != JobTimingKind.Now)
                {
                    return JobRequestResult.Failure("A pre-training clone runs now.");
                }

                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var prepared = await PreparePretrainingAsync(db, user, Deserialize<PretrainingParameters>(source.ParametersJson), cancellationToken);
                    if (prepared.Job is not { } job)
                    {
                        return JobRequestResult.Failure(prepared.Error!);
                    }

                    job.ClonedFromId = source.Id;
                    return await QueueAsync(db, job, cancellationToken);
                }
        }

        return new JobRequestResult(result.Job, result.Error);
    }

    public async Task<JobRequestResult> RerunAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.CanOperate && !user.CanRunScience)
        {
            return JobRequestResult.Failure("Only ops, data scientists and admins can re-run jobs.");
        }

        if (await FindAsync(user, jobId, cancellationToken) is null)
        {
            return JobRequestResult.Failure("The job does not exist.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only from Failed, in one statement: two clicks re-run it once.
        var reset = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Failed).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, JobStatus.Queued)
                  .SetProperty(j => j.Error, (string?)null)
                  .SetProperty(j => j.FinishedAt, (DateTimeOffset?)null)
                  .SetProperty(j => j.CancelRequestedAt, (DateTimeOffset?)null)
                  .SetProperty(j => j.ScheduledFor, (DateTimeOffset?)null)
                  .SetProperty(j => j.ProgressMessage, "Queued again after a failure"),
            cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId, cancellationToken);
        if (reset == 0)
        {
            return JobRequestResult.Failure($"Only a failed job can be re-run; this one is {job.Status.ToString().ToUpperInvariant()}.");
        }

        await scheduler.ScheduleAsync(job, cancellationToken);
        notifier.Publish(JobEvents.StatusChanged(job));
        return JobRequestResult.Success(job);
    }

    public async Task<IReadOnlyList<RecurringSchedule>> ListSchedulesAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.RecurringSchedules.AsNoTracking();
        if (!user.SeesAllJobs)
        {
            var partner = (user.PartnerId ?? Guid.Empty).ToString();
            query = query.Where(s => s.InvolvedPartners.Contains(partner));
        }

        return await query.OrderBy(s => s.NextRunAt).ThenBy(s => s.Name).ToListAsync(cancellationToken);
    }

    public async Task<bool> DeleteScheduleAsync(PortalUserContext user, Guid scheduleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.CanRunScience && !user.CanOperate)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.RecurringSchedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken) is not { } schedule)
        {
            return false;
        }

        await scheduler.RemoveRecurringAsync(scheduleId, cancellationToken);
        db.RecurringSchedules.Remove(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// One occurrence of a recurring schedule: validates the stored request as its author and queues a new job. At most
    /// one job per <paramref name="occurrence"/> (the scheduler may deliver an occurrence twice). Null when refused.
    /// </summary>
    internal async Task<PortalJob?> RunOccurrenceAsync(Guid scheduleId, string occurrence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.RecurringSchedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken) is not { } schedule)
        {
            return null;
        }

        if (await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => EF.Property<string?>(j, OccurrenceColumn) == occurrence, cancellationToken) is { } existing)
        {
            return existing;
        }

        // The author's rights, as when they saved it: a data scientist's request.
        var author = new PortalUserContext(schedule.CreatedBy, schedule.CreatedBy, new HashSet<string> { PortalRoles.DataScientist }, null);
        var prepared = schedule.Kind switch
        {
            JobKind.Similarity => await PrepareSimilarityAsync(db, author, Deserialize<SimilarityParameters>(schedule.ParametersJson), cancellationToken),
            JobKind.FineTuning => await PrepareFineTuningAsync(db, author, schedule.Name, Deserialize<FineTuningParameters>(schedule.ParametersJson), cancellationToken),
            _ => (null, $"{schedule.Kind} jobs are not scheduled recurring."),
        };
        var now = clock.GetUtcNow();
        schedule.LastRunAt = now;
        schedule.NextRunAt = scheduler.NextOccurrence(schedule.Cron, TimeZoneOf(schedule.TimeZoneId)!, now);
        if (prepared.Job is not { } job)
        {
            schedule.LastError = prepared.Error;
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        job.ScheduleId = schedule.Id;
        job.CreatedBy = schedule.CreatedBy;
        db.Entry(job).Property(OccurrenceColumn).CurrentValue = occurrence;
        db.Jobs.Add(job);
        schedule.LastJobId = job.Id;
        schedule.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleAsync(job, cancellationToken);
        notifier.Publish(JobEvents.StatusChanged(job));
        return job;
    }

    private static async Task<JobRequestResult> RunNowAsync(Task<ScheduleRequestResult> scheduled)
    {
        var result = await scheduled;
        return new JobRequestResult(result.Job, result.Error);
    }

    private Task<ScheduleRequestResult> ScheduleSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, JobTiming timing, Guid? clonedFrom, CancellationToken cancellationToken) =>
        ScheduleAsync(user, timing, db => PrepareSimilarityAsync(db, user, parameters, cancellationToken), clonedFrom, cancellationToken);

    private Task<ScheduleRequestResult> ScheduleFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, JobTiming timing, Guid? clonedFrom, CancellationToken cancellationToken) =>
        ScheduleAsync(user, timing, db => PrepareFineTuningAsync(db, user, name, parameters, cancellationToken), clonedFrom, cancellationToken);

    private async Task<ScheduleRequestResult> ScheduleAsync(
        PortalUserContext user, JobTiming timing, Func<PortalDbContext, Task<(PortalJob? Job, string? Error)>> prepare, Guid? clonedFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(timing);
        if (ValidateTiming(timing) is { } timingError)
        {
            return ScheduleRequestResult.Failure(timingError);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (job, error) = await prepare(db);
        if (job is null)
        {
            return ScheduleRequestResult.Failure(error!);
        }

        if (timing.Kind == JobTimingKind.Recurring)
        {
            var timeZone = TimeZoneOf(timing.TimeZoneId)!;
            var schedule = new RecurringSchedule
            {
                Kind = job.Kind,
                Name = job.Name,
                ParametersJson = job.ParametersJson,
                Cron = timing.Cron!.Trim(),
                TimeZoneId = string.IsNullOrWhiteSpace(timing.TimeZoneId) ? "UTC" : timing.TimeZoneId.Trim(),
                InvolvedPartners = job.InvolvedPartners,
                CreatedBy = user.Email,
                NextRunAt = scheduler.NextOccurrence(timing.Cron.Trim(), timeZone, clock.GetUtcNow()),
            };
            db.RecurringSchedules.Add(schedule);
            await db.SaveChangesAsync(cancellationToken);
            await scheduler.AddOrUpdateRecurringAsync(schedule, cancellationToken);
            return ScheduleRequestResult.ForSchedule(schedule);
        }

        if (timing.Kind == JobTimingKind.At)
        {
            job.ScheduledFor = timing.RunAt!.Value.ToUniversalTime();
            job.ProgressMessage = "Scheduled";
        }

        job.ClonedFromId = clonedFrom;
        return ScheduleRequestResult.From(await QueueAsync(db, job, cancellationToken));
    }

    private string? ValidateTiming(JobTiming timing)
    {
        switch (timing.Kind)
        {
            case JobTimingKind.Now:
                return null;
            case JobTimingKind.At:
                var now = clock.GetUtcNow();
                if (timing.RunAt is not { } at)
                {
                    return "Choose the date and time to run the job.";
                }

                // A minute's grace: a time picked "now" in a form is already past when it arrives.
                if (at < now - TimeSpan.FromMinutes(1))
                {
                    return "The chosen time is in the past.";
                }

                return at > now + MaxScheduleAhead ? "A job can be scheduled at most a year ahead." : null;
            case JobTimingKind.Recurring:
                if (string.IsNullOrWhiteSpace(timing.Cron))
                {
                    return "Give a cron expression, for example \"0 2 * * 1\" for every Monday at 02:00.";
                }

                if (TimeZoneOf(timing.TimeZoneId) is not { } timeZone)
                {
                    return $"Unknown time zone '{timing.TimeZoneId}'.";
                }

                try
                {
                    return scheduler.NextOccurrence(timing.Cron.Trim(), timeZone, clock.GetUtcNow()) is null
                        ? "The cron expression never fires."
                        : null;
                }
                catch (FormatException ex)
                {
                    return $"'{timing.Cron}' is not a valid cron expression: {ex.Message}";
                }

            default:
                return $"Unknown timing '{timing.Kind}'.";
        }
    }

    internal static TimeZoneInfo? TimeZoneOf(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
    }

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json) ?? throw new InvalidOperationException("The stored request has no parameters.");

    private static async Task<(PortalJob? Job, string? Error)> PrepareSimilarityAsync(PortalDbContext db, PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return (null, "Only data scientists can score similarity.");
        }

        var ids = parameters.DomainIds.Distinct().ToList();
        if (ids.Count < 2)
        {
            return (null, "Select at least two domains to compare.");
        }

        var domains = await db.Domains.Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        if (domains.Count != ids.Count)
        {
            return (null, "One of the selected domains no longer exists.");
        }

        if (domains.FirstOrDefault(d => !d.SimilarityConsent) is { } refused)
        {
            return (null, $"The owner of '{refused.Name}' has not consented to similarity scoring.");
        }

        return (NewJob(user, JobKind.Similarity, $"Similarity of {domains.Count} domains", parameters with { DomainIds = ids }, domains.Select(d => d.PartnerId)), null);
    }

    private static async Task<(PortalJob? Job, string? Error)> PreparePretrainingAsync(PortalDbContext db, PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return (null, "Only data scientists can pre-train base models.");
        }

        if (Core.Naming.NameRule.Check(parameters.ModelName, "base model", maxLength: 100) is { IsValid: false } badName)
        {
            return (null, badName.Error);
        }

        // No hidden layer is logistic regression (the reference model of many clinical benchmarks).
        if (parameters.HiddenSizes.Count > 8 || parameters.HiddenSizes.Any(h => h is < 1 or > 4096))
        {
            return (null, "Hidden layers: 0 (logistic regression) to 8 layers of 1 to 4096 units.");
        }

        if (Validate(parameters.Epochs, parameters.LearningRate, parameters.BatchSize) is { } error)
        {
            return (null, error);
        }

        if (ModelChoiceRules.Validate(parameters.WeightDecay, parameters.EarlyStoppingPatience, parameters.ClassWeighting, parameters.ValidationFraction) is { } choiceError)
        {
            return (null, choiceError);
        }

        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == parameters.SourceDomainId, cancellationToken);
        if (domain is null)
        {
            return (null, "Choose a source domain.");
        }

        if (!domain.TrainingConsent)
        {
            return (null, $"The owner of '{domain.Name}' has not consented to training on it.");
        }

        var job = NewJob(user, JobKind.Pretraining, $"Pre-train {parameters.ModelName.Trim()} on {domain.Name}", parameters with { ModelName = parameters.ModelName.Trim() }, [domain.PartnerId]);
        job.TotalRounds = parameters.Epochs;
        return (job, null);
    }

    private async Task<(PortalJob? Job, string? Error)> PrepareFineTuningAsync(PortalDbContext db, PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!user.CanRunScience)
        {
            return (null, "Only data scientists can schedule fine-tuning.");
        }

        if (parameters.Rounds is < 1 or > 200)
        {
            return (null, "Rounds must be between 1 and 200.");
        }

        if ((Validate(parameters.LocalEpochs, parameters.LearningRate, parameters.BatchSize) ?? FederationSettingsValidator.ValidateRequest(parameters.Federation)) is { } error)
        {
            return (null, error);
        }

        if (ModelChoiceRules.Validate(parameters.WeightDecay, parameters.EarlyStoppingPatience, parameters.ClassWeighting, parameters.ValidationFraction) is { } choiceError)
        {
            return (null, choiceError);
        }

        var (engine, engineError) = ResolveEngine(parameters);
        if (engineError is not null)
        {
            return (null, engineError);
        }

        var model = await db.BaseModels.FirstOrDefaultAsync(m => m.Id == parameters.BaseModelId, cancellationToken);
        if (model is null)
        {
            return (null, "Choose a base model.");
        }

        var architecture = ModelArchitecture.FromJson(model.ArchitectureJson);
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(model.LayersJson) ?? [];
        var trainable = layers.Where(l => l.ParameterCount > 0).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var frozen = parameters.FrozenLayers.Distinct(StringComparer.Ordinal).ToList();
        if (frozen.FirstOrDefault(f => !trainable.Contains(f)) is { } unknown)
        {
            return (null, $"The base model has no layer with weights named '{unknown}'.");
        }

        if (frozen.Count == trainable.Count)
        {
            return (null, "Every layer is frozen: leave at least one layer trainable.");
        }

        var targetIds = parameters.TargetDomainIds.Distinct().ToList();
        if (targetIds.Count == 0)
        {
            return (null, "Select at least one target domain.");
        }

        var domains = await db.Domains.Where(d => targetIds.Contains(d.Id)).ToListAsync(cancellationToken);
        if (domains.Count != targetIds.Count)
        {
            return (null, "One of the selected domains no longer exists.");
        }

        foreach (var domain in domains)
        {
            if (!domain.TrainingConsent)
            {
                return (null, $"The owner of '{domain.Name}' has not consented to joining jobs.");
            }

            var statistics = DomainStatistics.FromSummaryJson(domain.SummaryJson);
            if (statistics.FeatureNames.Count != architecture.InputSize)
            {
                return (null, $"'{domain.Name}' has {statistics.FeatureNames.Count} features; the base model expects {architecture.InputSize}.");
            }

            // Multitask gives each partner its own head sized to its own classes: the base model's classes do not bind it.
            if (parameters.Federation?.Personalization != PersonalizationKind.MultiTask
                && statistics.ClassNames.FirstOrDefault(c => !architecture.ClassNames.Contains(c)) is { } unknownClass)
            {
                return (null, $"'{domain.Name}' has the class '{unknownClass}', which the base model does not know.");
            }
        }

        if (!string.IsNullOrWhiteSpace(name) && Core.Naming.NameRule.Check(name, "job") is { IsValid: false } badJobName)
        {
            return (null, badJobName.Error);
        }

        var federation = parameters.Federation ?? new FederationSettings();
        if (FederationOptionsMapper.Validate(federation, architecture, layers, frozen, targetIds.Count) is { } federationError)
        {
            return (null, federationError);
        }

        var jobPartners = domains.Select(d => d.PartnerId).Distinct().ToList();
        var (participantEngines, participantError) = await ResolveParticipantEnginesAsync(db, parameters, jobPartners, cancellationToken);
        if (participantEngines is null)
        {
            return (null, participantError);
        }

        // A participant with its own engine is checked against that one above; the others train with the job's.
        if (await EngineNotOfferedAsync(db, engine, jobPartners.Where(p => !participantEngines.ContainsKey(p.ToString())).ToList(), cancellationToken) is { } notOffered)
        {
            return (null, notOffered);
        }

        var jobName = string.IsNullOrWhiteSpace(name) ? $"Fine-tune {model.Name} v{model.Version}" : name.Trim();
        var job = NewJob(
            user,
            JobKind.FineTuning,
            jobName,
            parameters with { FrozenLayers = frozen, TargetDomainIds = targetIds, Federation = federation, Engine = engine, ParticipantEngines = participantEngines },
            domains.Select(d => d.PartnerId));
        job.TotalRounds = parameters.Rounds;
        return (job, null);
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
        return user.SeesAllJobs ? jobs : jobs.Where(j => CanSee(user, j)).Select(j => WithoutOtherPartnersResults(j, user)).ToList();
    }

    public async Task<PortalJob?> FindAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is null || !CanSee(user, job) ? null : user.SeesAllJobs ? job : WithoutOtherPartnersResults(job, user);
    }

    /// <summary>
    /// A fine-tuning result lists every partner's final numbers; a partner admin reads its own through the evaluation
    /// service (cut to its domains) and gets the result without that list, as with the per-round metrics. Of a multitask
    /// job's task heads it keeps only its own: their class names are each partner's raw labels.
    /// </summary>
    private static PortalJob WithoutOtherPartnersResults(PortalJob job, PortalUserContext user)
    {
        if (job.Kind != JobKind.FineTuning || string.IsNullOrWhiteSpace(job.ResultJson))
        {
            return job;
        }

        var result = System.Text.Json.Nodes.JsonNode.Parse(job.ResultJson) as System.Text.Json.Nodes.JsonObject;
        if (result is null)
        {
            return job;
        }

        bool changed = result.Remove("Partners");
        if (result["Heads"] is System.Text.Json.Nodes.JsonArray heads)
        {
            var own = (user.PartnerId ?? Guid.Empty).ToString();
            foreach (var other in heads.Where(h => !string.Equals(h?["PartnerId"]?.GetValue<string>(), own, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                heads.Remove(other);
                changed = true;
            }
        }

        if (!changed)
        {
            return job;
        }

        job.ResultJson = result.ToJsonString();
        return job;
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
        var now = clock.GetUtcNow();
        // Each a single conditional statement, so a cancel and the job's own completion cannot both win.
        var cancelledQueued = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, JobStatus.Cancelled)
                  .SetProperty(j => j.CancelRequestedAt, now)
                  .SetProperty(j => j.FinishedAt, now)
                  .SetProperty(j => j.ProgressMessage, "Cancelled before it ran."),
            cancellationToken);
        if (cancelledQueued == 1)
        {
            await scheduler.UnscheduleAsync(jobId, cancellationToken);
        }
        else
        {
            // Running: whichever node runs it sees the request at its next check and records Cancelled.
            var requested = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.CancelRequestedAt, j => j.CancelRequestedAt ?? now)
                      .SetProperty(j => j.ProgressMessage, "Cancelling"),
                cancellationToken);
            if (requested == 0)
            {
                return false;
            }
        }

        if (await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken) is { } row)
        {
            notifier.Publish(JobEvents.StatusChanged(row));
        }

        return true;
    }

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

    /// <summary>The job's engine by its catalog name, or why it cannot run here.</summary>
    private (string Engine, string? Error) ResolveEngine(FineTuningParameters parameters)
    {
        var requested = string.IsNullOrWhiteSpace(parameters.Engine) ? FineTuningParameters.BuiltInEngine : parameters.Engine.Trim();
        if (!engines.Catalog.Contains(requested))
        {
            return (requested, $"There is no training engine '{requested}' here. Available: {string.Join(", ", engines.Available.Select(e => e.Name))}.");
        }

        var engine = engines.Catalog.Get(requested).Name;
        // The local-only baselines stop per epoch on the trainer's hook, which only the built-in engine has.
        return engine != FineTuningParameters.BuiltInEngine && parameters.EarlyStoppingPatience > 0
            ? (engine, $"Early stopping is offered with the built-in engine only: set its patience to 0 to train with '{engine}'.")
            : (engine, null);
    }

    /// <summary>
    /// <see cref="FineTuningParameters.ParticipantEngines"/> as stored: by partner id, with catalog names; or why not (the
    /// partner or the engine named). Each named partner must take part in the job and its agent must offer the engine.
    /// </summary>
    private async Task<(Dictionary<string, string>? Engines, string? Error)> ResolveParticipantEnginesAsync(
        PortalDbContext db, FineTuningParameters parameters, List<Guid> jobPartners, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters.ParticipantEngines is not { Count: > 0 } requested)
        {
            return (resolved, null);
        }

        var partners = await db.Partners.AsNoTracking().Select(p => new { p.Id, p.Name, p.Slug }).ToListAsync(cancellationToken);
        foreach (var (key, value) in requested.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var named = key.Trim();
            var partner = Guid.TryParse(named, out var id)
                ? partners.FirstOrDefault(p => p.Id == id)
                : partners.FirstOrDefault(p => string.Equals(p.Slug, named, StringComparison.OrdinalIgnoreCase));
            if (partner is null)
            {
                return (null, $"participantEngines names the partner '{named}', which does not exist (name a partner by its slug or id).");
            }

            if (!jobPartners.Contains(partner.Id))
            {
                return (null, $"participantEngines names the partner '{partner.Name}', which has no target domain in this job.");
            }

            var requestedEngine = value?.Trim();
            if (string.IsNullOrEmpty(requestedEngine))
            {
                return (null, $"participantEngines gives no engine for the partner '{partner.Name}'.");
            }

            if (!engines.Catalog.Contains(requestedEngine))
            {
                return (null, $"There is no training engine '{requestedEngine}' here (asked for partner '{partner.Name}'). Available: {string.Join(", ", engines.Available.Select(e => e.Name))}.");
            }

            var engine = engines.Catalog.Get(requestedEngine).Name;
            if (NotOfferedBy(partner.Id, partner.Slug, partner.Name, engine) is { } notOffered)
            {
                return (null, notOffered);
            }

            if (resolved.TryGetValue(partner.Id.ToString(), out var earlier) && earlier != engine)
            {
                return (null, $"participantEngines names the partner '{partner.Name}' twice, with '{earlier}' and '{engine}'.");
            }

            if (engine != FineTuningParameters.BuiltInEngine && parameters.EarlyStoppingPatience > 0)
            {
                return (null, $"Early stopping is offered with the built-in engine only: set its patience to 0 to train '{partner.Name}' with '{engine}'.");
            }

            resolved[partner.Id.ToString()] = engine;
        }

        return (resolved, null);
    }

    /// <summary>Why a participant's agent cannot train with <paramref name="engine"/> (the partner named), or null.</summary>
    private async Task<string?> EngineNotOfferedAsync(PortalDbContext db, string engine, List<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var partners = await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.Slug }).ToListAsync(cancellationToken);
        return partners.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => NotOfferedBy(p.Id, p.Slug, p.Name, engine)).FirstOrDefault(e => e is not null);
    }

    /// <summary>Why this partner's agent cannot train with <paramref name="engine"/>, or null when it offers it.</summary>
    private string? NotOfferedBy(Guid partnerId, string slug, string name, string engine)
    {
        var offered = agents.For(partnerId, slug).EngineNames;
        return offered.Contains(engine, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"The agent of partner '{name}' does not offer the training engine '{engine}' (it offers: {string.Join(", ", offered)}).";
    }

    private static string? Validate(int epochs, double learningRate, int batchSize)
    {
        if (epochs is < 1 or > 500)
        {
            return "Epochs must be between 1 and 500.";
        }

        // Checked as the float32 training uses: 1e-300 is above 0 as a double but 0 as a float.
        var asTrained = (float)learningRate;
        if (!(learningRate > 0 && asTrained <= 1))
        {
            return "The learning rate must be above 0 and at most 1.";
        }

        if (asTrained < SmallestLearningRate)
        {
            return $"The learning rate {learningRate.ToString(CultureInfo.InvariantCulture)} is too small for float32 training (it becomes {asTrained.ToString(CultureInfo.InvariantCulture)}); use at least 1e-10.";
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
        // A fair share of the workers: one user cannot fill the queue and starve everyone else's jobs (a job being cancelled
        // no longer counts). Counted and inserted as one step per user, so racing requests cannot pass the limit together.
        var limit = reliability.Value.MaxActiveJobsPerUser;
        var refused = await cappedInsert.RunAsync($"jobs:{job.CreatedBy}", db, async ct =>
        {
            if (limit > 0)
            {
                var active = await db.Jobs.CountAsync(
                    j => j.CreatedBy == job.CreatedBy && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running) && j.CancelRequestedAt == null,
                    ct);
                if (active >= limit)
                {
                    return $"You already have {active} queued or running jobs, the most one user may have at once ({limit}). Wait for one to finish or cancel one, then ask again.";
                }
            }

            job.CreatedAt = clock.GetUtcNow();
            db.Jobs.Add(job);
            await db.SaveChangesAsync(ct);
            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return JobRequestResult.Failure(refused);
        }

        await scheduler.ScheduleAsync(job, cancellationToken);
        notifier.Publish(JobEvents.StatusChanged(job));
        return JobRequestResult.Success(job);
    }
}
