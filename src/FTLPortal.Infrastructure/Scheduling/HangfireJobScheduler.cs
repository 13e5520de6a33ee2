using Cronos;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Jobs;
using Hangfire;
using Hangfire.States;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Core's scheduler over Hangfire: a portal job becomes one Hangfire job (similarity, pre-training) or a chain of short
/// ones (a fine-tuning round each, then the model card), due now or at <see cref="PortalJob.ScheduledFor"/>; a recurring
/// schedule is a Hangfire recurring job whose occurrences each create a portal job.
/// </summary>
internal sealed class HangfireJobScheduler(IBackgroundJobClient client, IRecurringJobManager recurring, PortalJobRunner runner, TimeProvider clock) : IJobScheduler
{
    public static string RecurringIdOf(Guid scheduleId) => $"schedule-{scheduleId:N}";

    public Task ScheduleAsync(PortalJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        IState state = job.ScheduledFor is { } at && at > clock.GetUtcNow()
            ? new ScheduledState(at.UtcDateTime)
            : new EnqueuedState();
        Create(job.Id, job.Kind, job.Name, JobSteps.First(job), job.TotalRounds, state);
        return Task.CompletedTask;
    }

    /// <summary>Queues the chain's next step, once: only the delivery that reserves the step in the database hands it over.</summary>
    public async Task ContinueAsync(Guid jobId, string name, int step, int rounds, CancellationToken cancellationToken)
    {
        if (!await runner.ReserveNextStepAsync(jobId, step, cancellationToken))
        {
            return;
        }

        try
        {
            Create(jobId, JobKind.FineTuning, name, step, rounds, new EnqueuedState());
        }
        catch
        {
            // Let the retry of this step reserve and queue it again.
            await runner.ReleaseNextStepAsync(jobId, step);
            throw;
        }
    }

    public Task UnscheduleAsync(Guid jobId, CancellationToken cancellationToken)
    {
        // Hangfire ids are not kept: a step that starts for a cancelled job records nothing and ends at once.
        return Task.CompletedTask;
    }

    public Task AddOrUpdateRecurringAsync(RecurringSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var timeZone = JobService.TimeZoneOf(schedule.TimeZoneId) ?? TimeZoneInfo.Utc;
        recurring.AddOrUpdate<PortalHangfireJobs>(
            RecurringIdOf(schedule.Id),
            j => j.OccurrenceAsync(schedule.Id, schedule.Name, null, CancellationToken.None),
            schedule.Cron,
            new RecurringJobOptions { TimeZone = timeZone });
        return Task.CompletedTask;
    }

    public Task RemoveRecurringAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        recurring.RemoveIfExists(RecurringIdOf(scheduleId));
        return Task.CompletedTask;
    }

    public DateTimeOffset? NextOccurrence(string cron, TimeZoneInfo timeZone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(timeZone);
        CronExpression expression;
        try
        {
            // Hangfire reads five fields, or six with seconds; so do we.
            expression = CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        return expression.GetNextOccurrence(after, timeZone);
    }

    /// <summary>Creates the Hangfire job of one step of a portal job (the job kind picks the method, and so the queue and retries).</summary>
    internal string Create(Guid jobId, JobKind kind, string name, int step, int rounds, IState state) => kind switch
    {
        JobKind.Similarity => client.Create<PortalHangfireJobs>(j => j.SimilarityAsync(jobId, name, null, CancellationToken.None), state),
        JobKind.Pretraining => client.Create<PortalHangfireJobs>(j => j.PretrainingAsync(jobId, name, null, CancellationToken.None), state),
        _ when step > rounds => client.Create<PortalHangfireJobs>(j => j.FineTuningModelCardAsync(jobId, name, rounds, null, CancellationToken.None), state),
        _ => client.Create<PortalHangfireJobs>(j => j.FineTuningRoundAsync(jobId, name, step, rounds, null, CancellationToken.None), state),
    };
}
