using FTLPortal.Infrastructure.Jobs;
using Hangfire;
using Hangfire.Server;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// The Hangfire jobs, one method per kind of step. Every one carries the portal job's id as its first argument (and as
/// the "PortalJobId" job parameter) and a display name a person can read. Retries are per kind: a failure of the data
/// or the code (<see cref="NonRetryableJobException"/>) is never retried; a lost agent or an I/O error is, a few times.
/// A shutdown is not a failure: Hangfire hands the step back to its queue and it resumes from its checkpoint.
/// </summary>
internal sealed class PortalHangfireJobs(PortalJobRunner runner, HangfireJobScheduler scheduler, JobService jobs)
{
    [Queue(PortalQueues.Similarity)]
    [AutomaticRetry(Attempts = 3, ExceptOn = [typeof(NonRetryableJobException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Similarity '{1}'")]
    public async Task SimilarityAsync(Guid portalJobId, string name, PerformContext? context, CancellationToken cancellationToken) =>
        await RunAsync(portalJobId, JobSteps.Whole, context, cancellationToken);

    /// <summary>Pre-training is one short job (tens of epochs on one domain) and idempotent: a second delivery finds its model saved.</summary>
    [Queue(PortalQueues.Training)]
    [AutomaticRetry(Attempts = 2, ExceptOn = [typeof(NonRetryableJobException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Pre-train '{1}'")]
    public async Task PretrainingAsync(Guid portalJobId, string name, PerformContext? context, CancellationToken cancellationToken) =>
        await RunAsync(portalJobId, JobSteps.Whole, context, cancellationToken);

    /// <summary>One federated round; on success it queues the next round (or the model card) exactly once.</summary>
    [Queue(PortalQueues.Training)]
    [AutomaticRetry(Attempts = 3, ExceptOn = [typeof(NonRetryableJobException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Fine-tune '{1}' · round {2}/{3}")]
    public async Task FineTuningRoundAsync(Guid portalJobId, string name, int round, int rounds, PerformContext? context, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(portalJobId, round, context, cancellationToken);
        if (outcome.NextStep is { } next)
        {
            await scheduler.ContinueAsync(portalJobId, name, next, rounds, cancellationToken);
        }
    }

    [Queue(PortalQueues.Training)]
    [AutomaticRetry(Attempts = 3, ExceptOn = [typeof(NonRetryableJobException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Fine-tune '{1}' · model card")]
    public async Task FineTuningModelCardAsync(Guid portalJobId, string name, int rounds, PerformContext? context, CancellationToken cancellationToken) =>
        await RunAsync(portalJobId, rounds + 1, context, cancellationToken);

    /// <summary>One occurrence of a recurring schedule: a new portal job, at most one per Hangfire job.</summary>
    [Queue(PortalQueues.Default)]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Recurring '{1}': new occurrence")]
    public async Task OccurrenceAsync(Guid scheduleId, string name, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await jobs.RunOccurrenceAsync(scheduleId, context.BackgroundJob.Id, cancellationToken);
    }

    private async Task<JobStepOutcome> RunAsync(Guid portalJobId, int step, PerformContext? context, CancellationToken cancellationToken)
    {
        return await runner.RunStepAsync(portalJobId, step, IsRetry(context), cancellationToken);
    }

    /// <summary>An automatic retry after a failed attempt (a resumption after a restart is counted by <see cref="HangfireStartupRecovery"/>).</summary>
    private static bool IsRetry(PerformContext? context) => context is not null && context.GetJobParameter<int>("RetryCount") > 0;
}
