namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Configuration <c>Portal:Jobs</c>: how stuck jobs are found and how many jobs one user may hold at once.</summary>
public sealed class JobReliabilityOptions
{
    public const string SectionName = "Portal:Jobs";

    /// <summary>How often unfinished jobs whose last step failed (and nothing is left to run them) are recorded Failed.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most queued and running jobs one user may have at once (a fair share of the workers); 0 means no limit.</summary>
    public int MaxActiveJobsPerUser { get; set; } = 10;
}
