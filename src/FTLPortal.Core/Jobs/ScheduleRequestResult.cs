namespace FTLPortal.Core.Jobs;

/// <summary>
/// The answer to a request with a <see cref="JobTiming"/>: a job (run now or at a time), a recurring schedule, or why
/// the request was refused.
/// </summary>
public sealed record ScheduleRequestResult(PortalJob? Job, RecurringSchedule? Schedule, string? Error)
{
    public bool Succeeded => Job is not null || Schedule is not null;

    public static ScheduleRequestResult ForJob(PortalJob job) => new(job, null, null);

    public static ScheduleRequestResult ForSchedule(RecurringSchedule schedule) => new(null, schedule, null);

    public static ScheduleRequestResult Failure(string error) => new(null, null, error);

    public static ScheduleRequestResult From(JobRequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Job, null, result.Error);
    }
}
