using Quartz;

namespace FTLPortal.Web.Ops;

/// <summary>What the ops page shows of the Quartz scheduler at one moment.</summary>
public sealed record SchedulerSnapshot(
    string SchedulerName,
    string SchedulerInstanceId,
    string Version,
    SchedulerStatus Status,
    string JobStoreType,
    bool JobStoreClustered,
    bool JobStorePersistent,
    int ThreadPoolSize,
    DateTimeOffset? RunningSince,
    int JobsExecuted,
    IReadOnlyList<string> JobGroups,
    IReadOnlyList<ExecutingJob> Executing,
    IReadOnlyList<ScheduledJob> Jobs)
{
    public static async Task<SchedulerSnapshot> LoadAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var meta = await scheduler.GetMetadata(cancellationToken);
        // With the persistent store this is every node's running firings, not only this node's.
        var firings = await scheduler.QueryFireInstances(new FireInstanceQuery(), cancellationToken);
        var executing = firings.Items
            .Select(f => new ExecutingJob(f.JobKey?.Group ?? "", f.JobKey?.Name ?? "", f.TriggerKey?.ToString() ?? "", f.FireTimeUtc, f.SchedulerInstanceId, f.Progress, f.ProgressMessage, f.InterruptRequestedUtc))
            .OrderBy(e => e.FiredAt)
            .ToList();
        var groups = (await scheduler.GetJobGroupNames(cancellationToken)).Order(StringComparer.Ordinal).ToList();
        var jobs = new List<ScheduledJob>();
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken))
        {
            var detail = await scheduler.GetJobDetail(key, cancellationToken);
            var triggers = new List<ScheduledTrigger>();
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, cancellationToken))
            {
                var state = await scheduler.GetTriggerState(trigger.Key, cancellationToken);
                triggers.Add(new ScheduledTrigger(trigger.Key.ToString(), state, trigger.PreviousFireTimeUtc, trigger.NextFireTimeUtc));
            }

            jobs.Add(new ScheduledJob(key.Group, key.Name, detail?.Description, detail?.RequestsRecovery ?? false, triggers));
        }

        return new SchedulerSnapshot(
            meta.SchedulerName,
            meta.SchedulerInstanceId,
            meta.Version,
            meta.Status,
            ShortTypeName(meta.JobStoreTypeName),
            meta.JobStoreClustered,
            meta.JobStorePersistent,
            meta.ThreadPoolSize,
            meta.RunningSince,
            meta.JobsExecuted,
            groups,
            executing,
            jobs.OrderBy(j => j.Group, StringComparer.Ordinal).ThenBy(j => j.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>"Quartz.Impl.AdoJobStore.JobStoreTX, Quartz" reads as "JobStoreTX".</summary>
    internal static string ShortTypeName(string? assemblyQualifiedName)
    {
        var typeName = (assemblyQualifiedName ?? "").Split(',')[0].Trim();
        var dot = typeName.LastIndexOf('.');
        return dot >= 0 ? typeName[(dot + 1)..] : typeName;
    }
}
