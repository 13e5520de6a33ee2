namespace FTLPortal.Core.Jobs;

/// <summary>The scheduler seen from Core: run a job now, or stop it.</summary>
public interface IJobScheduler
{
    Task ScheduleAsync(PortalJob job, CancellationToken cancellationToken);

    /// <summary>Interrupts a running job; returns false if it was not running on this node.</summary>
    Task<bool> InterruptAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Removes a job that has not started yet.</summary>
    Task UnscheduleAsync(Guid jobId, CancellationToken cancellationToken);
}
