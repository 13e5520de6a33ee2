using FTLPortal.Core.Jobs;
using Quartz;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Core's scheduler over Quartz: one durable-until-done Quartz job per portal job, recoverable after a crash.</summary>
internal sealed class QuartzJobScheduler(ISchedulerFactory schedulerFactory) : IJobScheduler
{
    public const string JobIdKey = "portalJobId";

    public static JobKey KeyOf(Guid jobId, JobKind kind) => new(jobId.ToString(), kind.ToString());

    public async Task ScheduleAsync(PortalJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var detail = JobBuilder.Create<PortalJobRunner>()
            .WithIdentity(KeyOf(job.Id, job.Kind))
            .WithDescription(job.Name)
            .UsingJobData(JobIdKey, job.Id.ToString())
            // A node that dies mid-job has the job fired again on restart; the runner resumes from its checkpoint.
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(job.Id.ToString(), job.Kind.ToString())
            .ForJob(detail)
            .StartNow()
            .Build();
        await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions(), cancellationToken);
    }

    public async Task<bool> InterruptAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            if (await scheduler.Interrupt(KeyOf(jobId, kind), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    // Interim: the Hangfire scheduler that replaces this class implements recurring schedules.
    public Task AddOrUpdateRecurringAsync(RecurringSchedule schedule, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Recurring schedules need the Hangfire scheduler.");

    public Task RemoveRecurringAsync(Guid scheduleId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Recurring schedules need the Hangfire scheduler.");

    public DateTimeOffset? NextOccurrence(string cron, TimeZoneInfo timeZone, DateTimeOffset after) =>
        throw new NotSupportedException("Recurring schedules need the Hangfire scheduler.");

    public async Task UnscheduleAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            await scheduler.DeleteJob(KeyOf(jobId, kind), cancellationToken);
        }
    }
}
