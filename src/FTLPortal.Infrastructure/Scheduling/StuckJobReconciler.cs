using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Finds portal jobs that can no longer end by themselves and records them Failed with the reason. A step whose retries
/// ran out records the job Failed as Hangfire applies its Failed state; when that write itself fails (a full disk, an
/// unwritable data folder) the portal job would stay Running forever, even after space is freed. A job is stuck when
/// Hangfire holds none of its steps as enqueued, fetched, processing or scheduled, and its latest step failed.
/// </summary>
internal sealed partial class StuckJobReconciler(
    JobStorage storage,
    PortalJobRunner runner,
    IDbContextFactory<PortalDbContext> dbFactory,
    ILogger<StuckJobReconciler> logger)
{
    private const int PageSize = 10_000;

    /// <summary>
    /// Records stuck jobs Failed and returns the ids of every stuck job found. With <paramref name="seenBefore"/>, only
    /// jobs also stuck in that earlier pass are recorded: a job being re-run is briefly Queued before its new step is
    /// handed over, and must not be taken for stuck in that moment.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> ReconcileAsync(IReadOnlySet<Guid>? seenBefore, CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        var live = new HashSet<Guid>();
        foreach (var queue in PortalQueues.All)
        {
            live.UnionWith(monitoring.EnqueuedJobs(queue, 0, PageSize).Select(j => PortalJobFilter.PortalJobIdOf(j.Value.Job)).OfType<Guid>());
            live.UnionWith(monitoring.FetchedJobs(queue, 0, PageSize).Select(j => PortalJobFilter.PortalJobIdOf(j.Value.Job)).OfType<Guid>());
        }

        live.UnionWith(monitoring.ProcessingJobs(0, PageSize).Select(j => PortalJobFilter.PortalJobIdOf(j.Value.Job)).OfType<Guid>());
        live.UnionWith(monitoring.ScheduledJobs(0, PageSize).Select(j => PortalJobFilter.PortalJobIdOf(j.Value.Job)).OfType<Guid>());

        // The latest failure of each portal job's steps.
        var failures = new Dictionary<Guid, (DateTime At, string Reason)>();
        foreach (var (_, failed) in monitoring.FailedJobs(0, PageSize))
        {
            if (PortalJobFilter.PortalJobIdOf(failed.Job) is not { } portalJobId)
            {
                continue;
            }

            var at = failed.FailedAt ?? DateTime.MinValue;
            if (!failures.TryGetValue(portalJobId, out var known) || at > known.At)
            {
                failures[portalJobId] = (at, failed.ExceptionMessage ?? failed.Reason ?? "The job's step failed.");
            }
        }

        if (failures.Count == 0)
        {
            return new HashSet<Guid>();
        }

        List<Guid> unfinished;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var candidates = failures.Keys.Where(id => !live.Contains(id)).ToList();
            unfinished = await db.Jobs.AsNoTracking()
                .Where(j => candidates.Contains(j.Id) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
                .Select(j => j.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var jobId in unfinished.Where(id => seenBefore is null || seenBefore.Contains(id)))
        {
            var reason = failures[jobId].Reason;
            LogStuck(logger, jobId, reason);
            await runner.FailAsync(jobId, $"The job's last step failed and nothing was left to run it ({reason}).");
        }

        return unfinished.ToHashSet();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Portal job {JobId} was left unfinished after its step failed; recorded Failed: {Reason}")]
    private static partial void LogStuck(ILogger logger, Guid jobId, string reason);
}
