using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Returns <see cref="View"/> for every job (set it per test); null when none is set.</summary>
public sealed class FakeJobEvaluationService : IJobEvaluationService
{
    public JobEvaluationView? View { get; set; }

    public Task<JobEvaluationView?> GetAsync(PortalUserContext user, Guid jobId, CancellationToken cancellationToken) => Task.FromResult(View);
}
