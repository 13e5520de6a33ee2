using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Jobs and rounds held in memory, with the real service's visibility rule (partners see jobs that involve them).</summary>
public sealed class FakeJobService : IJobService
{
    public List<PortalJob> Jobs { get; } = [];

    public List<RoundMetric> Rounds { get; } = [];

    public List<Guid> Cancelled { get; } = [];

    public int FineTuningRequests { get; private set; }

    /// <summary>The parameters of every fine-tuning the pages scheduled, in order.</summary>
    public List<FineTuningParameters> ScheduledFineTuning { get; } = [];

    public List<SimilarityParameters> SimilarityRequests { get; } = [];

    public List<PretrainingParameters> PretrainingRequests { get; } = [];

    /// <summary>Queues a similarity job the page can show as running.</summary>
    public Task<JobRequestResult> RequestSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        SimilarityRequests.Add(parameters);
        var job = new PortalJob { Name = "Similarity of " + parameters.DomainIds.Count + " domains", Kind = JobKind.Similarity, ParametersJson = "{}", Status = JobStatus.Queued, ProgressMessage = "Waiting for a worker", CreatedBy = user.Email };
        Jobs.Insert(0, job);
        return Task.FromResult(JobRequestResult.Success(job));
    }

    public Task<JobRequestResult> RequestPretrainingAsync(PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken)
    {
        PretrainingRequests.Add(parameters);
        return Task.FromResult(JobRequestResult.Failure("not used"));
    }

    public Task<JobRequestResult> RequestFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        FineTuningRequests++;
        return Task.FromResult(JobRequestResult.Failure("not used"));
    }

    public Task<IReadOnlyList<PortalJob>> ListAsync(PortalUserContext user, JobKind? kind, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PortalJob>>(Jobs.Where(j => Visible(user, j) && (kind is null || j.Kind == kind)).ToList());

    public Task<PortalJob?> FindAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Jobs.FirstOrDefault(j => j.Id == jobId && Visible(user, j)));

    public Task<IReadOnlyList<RoundMetric>> GetRoundsAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RoundMetric>>(Rounds.Where(r => r.JobId == jobId && (user.SeesAllJobs || r.PartnerId == user.PartnerId)).OrderBy(r => r.Round).ToList());

    public Task<bool> CancelAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        Cancelled.Add(jobId);
        return Task.FromResult(true);
    }

    public Task<ScheduleRequestResult> ScheduleSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, JobTiming timing, CancellationToken cancellationToken) =>
        Task.FromResult(ScheduleRequestResult.Failure("not used"));

    public Task<ScheduleRequestResult> ScheduleFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, JobTiming timing, CancellationToken cancellationToken)
    {
        FineTuningRequests++;
        ScheduledFineTuning.Add(parameters);
        return Task.FromResult(ScheduleRequestResult.Failure("not used"));
    }

    public Task<JobRequestResult> CloneAsync(PortalUserContext user, Guid jobId, JobTiming timing, CancellationToken cancellationToken) =>
        Task.FromResult(JobRequestResult.Failure("not used"));

    public List<Guid> Reruns { get; } = [];

    public Task<JobRequestResult> RerunAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken)
    {
        Reruns.Add(jobId);
        var job = Jobs.First(j => j.Id == jobId);
        job.Status = JobStatus.Queued;
        return Task.FromResult(JobRequestResult.Success(job));
    }

    public Task<IReadOnlyList<RecurringSchedule>> ListSchedulesAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RecurringSchedule>>([]);

    public Task<bool> DeleteScheduleAsync(PortalUserContext user, Guid scheduleId, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    private static bool Visible(PortalUserContext user, PortalJob job) =>
        user.SeesAllJobs || (user.PartnerId is { } p && job.InvolvedPartners.Contains(p.ToString(), StringComparison.OrdinalIgnoreCase));
}
