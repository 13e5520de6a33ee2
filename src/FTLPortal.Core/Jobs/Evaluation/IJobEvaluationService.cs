using FTLPortal.Core.Security;

namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>The evaluation of fine-tuning jobs: per-round global-model numbers, the overfitting warning and the final test numbers.</summary>
public interface IJobEvaluationService
{
    /// <summary>Null when the job does not exist, is not fine-tuning, or the user may not see it.</summary>
    Task<JobEvaluationView?> GetAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken);
}
