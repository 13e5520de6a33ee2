namespace FTLPortal.Core.Jobs;

/// <summary>When a requested job runs.</summary>
public enum JobTimingKind
{
    /// <summary>As soon as a worker is free.</summary>
    Now,

    /// <summary>Once, at <see cref="JobTiming.RunAt"/>.</summary>
    At,

    /// <summary>On a cron schedule; every occurrence is its own portal job.</summary>
    Recurring,
}
