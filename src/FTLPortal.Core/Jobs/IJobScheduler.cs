namespace FTLPortal.Core.Jobs;

/// <summary>The scheduler seen from Core: run a job now or at its time, keep recurring schedules, and read cron expressions.</summary>
public interface IJobScheduler
{
    /// <summary>Hands a recorded job to the scheduler: now, or at <see cref="PortalJob.ScheduledFor"/> when set.</summary>
    Task ScheduleAsync(PortalJob job, CancellationToken cancellationToken);

    /// <summary>Removes a job that has not started yet (best effort: a job found cancelled when it starts does nothing).</summary>
    Task UnscheduleAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the recurring trigger of a schedule.</summary>
    Task AddOrUpdateRecurringAsync(RecurringSchedule schedule, CancellationToken cancellationToken);

    Task RemoveRecurringAsync(Guid scheduleId, CancellationToken cancellationToken);

    /// <summary>The first occurrence of <paramref name="cron"/> in <paramref name="timeZone"/> after <paramref name="after"/>; throws <see cref="FormatException"/> for an invalid expression.</summary>
    DateTimeOffset? NextOccurrence(string cron, TimeZoneInfo timeZone, DateTimeOffset after);
}
