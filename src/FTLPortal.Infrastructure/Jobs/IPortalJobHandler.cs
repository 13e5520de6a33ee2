using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Runs one kind of portal job; the runner around it records status, errors and cancellation.</summary>
internal interface IPortalJobHandler
{
    JobKind Kind { get; }

    /// <summary>Does the work and returns the result JSON.</summary>
    Task<string> RunAsync(JobExecution execution, CancellationToken cancellationToken);
}
