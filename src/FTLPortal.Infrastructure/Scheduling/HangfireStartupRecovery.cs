using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Runs at start, before this node's Hangfire server. The SQLite storage serves one server process, so a job that was
/// fetched but not finished belongs to a process that died (killed, not stopped): it is handed back to its queue now
/// rather than after the storage's 30-minute invisibility timeout. And an unfinished portal job with no Hangfire job at
/// all (the node died between recording a round and queuing the next) gets its next step queued. Steps are idempotent,
/// so a step that also comes back later by itself does no harm.
/// </summary>
internal sealed partial class HangfireStartupRecovery(
    JobStorage storage,
    IBackgroundJobClient client,
    HangfireJobScheduler scheduler,
    StuckJobReconciler reconciler,
    IDbContextFactory<PortalDbContext> dbFactory,
    ILogger<HangfireStartupRecovery> logger) : IHostedService
{
    private const int PageSize = 10_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // First the jobs whose last step failed with nothing left to run them (their Failed record was lost, e.g. to a
        // full disk): they end Failed with the reason rather than resume.
        var stuck = await reconciler.ReconcileAsync(seenBefore: null, cancellationToken);
        var monitoring = storage.GetMonitoringApi();
        var covered = new HashSet<Guid>(stuck);
        foreach (var queue in PortalQueues.All)
        {
            foreach (var (id, fetched) in monitoring.FetchedJobs(queue, 0, PageSize))
            {
                if (PortalJobFilter.PortalJobIdOf(fetched.Job) is { } portalJobId)
                {
                    covered.Add(portalJobId);
                }

                client.ChangeState(id, new EnqueuedState(queue) { Reason = "Resumed after the previous process stopped" }, ProcessingState.StateName);
                LogRequeued(logger, id, queue);
            }

            foreach (var (_, enqueued) in monitoring.EnqueuedJobs(queue, 0, PageSize))
            {
                if (PortalJobFilter.PortalJobIdOf(enqueued.Job) is { } portalJobId)
                {
                    covered.Add(portalJobId);
                }
            }
        }

        foreach (var (_, scheduled) in monitoring.ScheduledJobs(0, PageSize))
        {
            if (PortalJobFilter.PortalJobIdOf(scheduled.Job) is { } portalJobId)
            {
                covered.Add(portalJobId);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Queued || j.Status == JobStatus.Running) && j.CancelRequestedAt == null)
            .ToListAsync(cancellationToken);
        // A job that was running when the node stopped resumes now: one more attempt.
        await db.Jobs.Where(j => j.Status == JobStatus.Running && j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.ProgressMessage, "Resuming after a restart"), cancellationToken);
        foreach (var job in unfinished.Where(j => !covered.Contains(j.Id)))
        {
            LogRescheduled(logger, job.Kind, job.Id, job.CurrentRound);
            await scheduler.ScheduleAsync(job, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire job {HangfireJobId} was running when the previous process stopped; queued again on {Queue}")]
    private static partial void LogRequeued(ILogger logger, string hangfireJobId, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unfinished {Kind} job {JobId} had no Hangfire job; queued its next step (last completed round {Round})")]
    private static partial void LogRescheduled(ILogger logger, JobKind kind, Guid jobId, int round);
}
