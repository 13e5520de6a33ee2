using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;

namespace FTLPortal.Core.Jobs;

/// <summary>Creating, scheduling, reading and cancelling jobs, with the caller's permissions applied.</summary>
public interface IJobService
{
    /// <summary>Similarity scoring, run now.</summary>
    Task<JobRequestResult> RequestSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken);

    /// <summary>Similarity scoring now, at a date and time, or recurring.</summary>
    Task<ScheduleRequestResult> ScheduleSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, JobTiming timing, CancellationToken cancellationToken);

    /// <summary>Pre-training, run now (it creates a base model version, so it is not offered recurring).</summary>
    Task<JobRequestResult> RequestPretrainingAsync(PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken);

    /// <summary>Fine-tuning, run now.</summary>
    Task<JobRequestResult> RequestFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken);

    /// <summary>Fine-tuning now, at a date and time, or recurring (each occurrence its own job).</summary>
    Task<ScheduleRequestResult> ScheduleFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, JobTiming timing, CancellationToken cancellationToken);

    /// <summary>A new job with a finished job's kind, name and parameters (validated again), at <paramref name="timing"/> (now or at a time).</summary>
    Task<JobRequestResult> CloneAsync(PortalUserContext user, Guid jobId, JobTiming timing, CancellationToken cancellationToken);

    /// <summary>Runs a failed job again under the same id, resuming from its last checkpoint (rounds already recorded stay).</summary>
    Task<JobRequestResult> RerunAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PortalJob>> ListAsync(PortalUserContext user, JobKind? kind, CancellationToken cancellationToken);

    Task<PortalJob?> FindAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<RoundMetric>> GetRoundsAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a queued job at once, or records the request for a running one (it stops at its next check, on whichever
    /// node runs it). True when the job will end Cancelled; false when it had already finished or the user may not cancel.
    /// </summary>
    Task<bool> CancelAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    /// <summary>The recurring schedules the user may see, soonest first.</summary>
    Task<IReadOnlyList<RecurringSchedule>> ListSchedulesAsync(PortalUserContext user, CancellationToken cancellationToken);

    /// <summary>Stops a recurring schedule; jobs it already created are kept. False when not found or not permitted.</summary>
    Task<bool> DeleteScheduleAsync(PortalUserContext user, Guid scheduleId, CancellationToken cancellationToken);
}
