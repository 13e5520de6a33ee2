namespace FTLPortal.Core.Jobs;

/// <summary>
/// A recurring request ("re-fine-tune every Monday 02:00"): at each occurrence the portal validates the stored request
/// again and creates a new <see cref="PortalJob"/> (<see cref="PortalJob.ScheduleId"/> points back here).
/// </summary>
public sealed class RecurringSchedule
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public JobKind Kind { get; set; }

    /// <summary>The name each occurrence's job gets.</summary>
    public required string Name { get; set; }

    /// <summary>The request's parameters as JSON, as for <see cref="PortalJob.ParametersJson"/>.</summary>
    public required string ParametersJson { get; set; }

    public required string Cron { get; set; }

    /// <summary>The time zone the cron is read in (an IANA or Windows id; "UTC" by default).</summary>
    public string TimeZoneId { get; set; } = "UTC";

    /// <summary>Partners whose domains the request touches, comma-separated, as for jobs.</summary>
    public string InvolvedPartners { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The next occurrence, as computed when the schedule was saved or last fired.</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }

    /// <summary>The job the last occurrence created.</summary>
    public Guid? LastJobId { get; set; }

    /// <summary>Why the last occurrence created no job (a domain withdrew consent, say), if it did not.</summary>
    public string? LastError { get; set; }
}
