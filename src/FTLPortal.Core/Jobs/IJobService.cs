using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;

namespace FTLPortal.Core.Jobs;

/// <summary>Creating, scheduling, reading and cancelling jobs, with the caller's permissions applied.</summary>
public interface IJobService
{
    Task<JobRequestResult> RequestSimilarityAsync(PortalUserContext user, SimilarityParameters parameters, CancellationToken cancellationToken);

    Task<JobRequestResult> RequestPretrainingAsync(PortalUserContext user, PretrainingParameters parameters, CancellationToken cancellationToken);

    Task<JobRequestResult> RequestFineTuningAsync(PortalUserContext user, string name, FineTuningParameters parameters, CancellationToken cancellationToken);

    Task<IReadOnlyList<PortalJob>> ListAsync(PortalUserContext user, JobKind? kind, CancellationToken cancellationToken);

    Task<PortalJob?> FindAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<RoundMetric>> GetRoundsAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);

    Task<bool> CancelAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);
}
