using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// At start, hands every unfinished portal job that has no Quartz job any more (the node stopped while it ran) back to
/// the scheduler; the runner then resumes it from its last checkpoint. Jobs Quartz itself recovers after a crash still
/// have their Quartz job and are left to Quartz.
/// </summary>
internal sealed partial class JobRecoveryService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ISchedulerFactory schedulerFactory,
    IJobScheduler jobScheduler,
    ILogger<JobRecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .ToListAsync(cancellationToken);
        if (unfinished.Count == 0)
        {
            return;
        }

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        foreach (var job in unfinished)
        {
            if (!await scheduler.Exists(QuartzJobScheduler.KeyOf(job.Id, job.Kind), cancellationToken))
            {
                LogRescheduled(logger, job.Kind, job.Id, job.CurrentRound);
                await jobScheduler.ScheduleAsync(job, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Rescheduling unfinished {Kind} job {JobId} (last completed round {Round})")]
    private static partial void LogRescheduled(ILogger logger, JobKind kind, Guid jobId, int round);
}
