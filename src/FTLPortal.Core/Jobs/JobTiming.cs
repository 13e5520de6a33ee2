namespace FTLPortal.Core.Jobs;

/// <summary>
/// When a job runs: now, once at a date and time, or on a recurring cron schedule evaluated in a time zone (so "every
/// Monday 02:00" stays 02:00 across daylight-saving changes in the user's zone).
/// </summary>
public sealed record JobTiming
{
    public JobTimingKind Kind { get; init; } = JobTimingKind.Now;

    /// <summary>For <see cref="JobTimingKind.At"/>: the instant to run (carry the user's offset; stored as UTC).</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>For <see cref="JobTimingKind.Recurring"/>: a five-field cron expression ("0 2 * * 1" is Mondays 02:00).</summary>
    public string? Cron { get; init; }

    /// <summary>For <see cref="JobTimingKind.Recurring"/>: an IANA or Windows time-zone id the cron is read in; UTC when empty.</summary>
    public string? TimeZoneId { get; init; }

    public static JobTiming Now { get; } = new();

    public static JobTiming At(DateTimeOffset runAt) => new() { Kind = JobTimingKind.At, RunAt = runAt };

    public static JobTiming Recurring(string cron, string? timeZoneId = null) => new() { Kind = JobTimingKind.Recurring, Cron = cron, TimeZoneId = timeZoneId };
}
