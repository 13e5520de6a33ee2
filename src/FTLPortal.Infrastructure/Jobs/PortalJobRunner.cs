using System.Text.Json;
using FTLPortal.Core.Jobs;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Runs one step of a portal job, whatever scheduler delivers it: claims the job in the database, honours a cancel
/// recorded there (before, during and after the step), and records how the job ended. Steps are at-least-once: a step
/// delivered twice, or again after a crash, finds its work recorded and does not repeat it.
/// </summary>
internal sealed partial class PortalJobRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    IJobNotifier notifier,
    IEnumerable<IPortalJobHandler> handlers,
    FineTuningJobHandler fineTuning,
    ILogger<PortalJobRunner> logger)
{
    /// <summary>The shadow column that says up to which step the chain was handed to the scheduler (one successor per step).</summary>
    internal const string QueuedStepColumn = "QueuedStep";

    /// <summary>How often a running step looks for a cancel recorded by any node.</summary>
    internal static readonly TimeSpan CancelPollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs <paramref name="step"/> of the job; <paramref name="isRetry"/> when the scheduler runs it again after a failed attempt.</summary>
    public async Task<JobStepOutcome> RunStepAsync(Guid jobId, int step, bool isRetry, CancellationToken cancellationToken)
    {
        var job = await ClaimAsync(jobId, step, isRetry, cancellationToken);
        if (job is null)
        {
            return JobStepOutcome.Done;
        }

        using var watcher = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchForCancelAsync(jobId, watcher);
        try
        {
            var outcome = await RunClaimedAsync(job, step, watcher.Token);
            return outcome;
        }
        catch (OperationCanceledException) when (watcher.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The watcher saw a cancel recorded in the database.
            await FinishCancelledAsync(jobId);
            return JobStepOutcome.Done;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is stopping: the scheduler hands the step back to its queue and it resumes from the checkpoint.
            await UpdateMessageAsync(jobId, "Interrupted by shutdown; resumes at the next start");
            LogInterrupted(logger, job.Kind, jobId, step);
            throw;
        }
        catch (Exception ex) when (DiskFull.IsCause(ex))
        {
            // Not retried: only freeing space helps. A re-run resumes from the last checkpoint saved before the disk filled.
            LogFailed(logger, job.Kind, jobId, step, ex);
            var reason = DiskFull.Reason(During(job, step));
            await FailAsync(jobId, reason);
            throw new NonRetryableJobException(reason, ex);
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            LogFailed(logger, job.Kind, jobId, step, ex);
            await FailAsync(jobId, ex.Message);
            throw new NonRetryableJobException(ex.Message, ex);
        }
        catch (Exception ex)
        {
            if (await IsCancelRequestedAsync(jobId, CancellationToken.None))
            {
                // A cancel was accepted while the step failed: the job ends as the cancel said, without a retry.
                await FinishCancelledAsync(jobId);
                return JobStepOutcome.Done;
            }

            // A lost agent, an I/O error: the scheduler retries the step; it is recorded Failed when the retries run out.
            LogRetrying(logger, job.Kind, jobId, step, ex);
            await UpdateMessageAsync(jobId, $"Attempt failed ({ex.Message}); retrying");
            throw;
        }
        finally
        {
            await watcher.CancelAsync();
            await watch;
        }
    }

    /// <summary>Records the chain's successor once: true for the one delivery that should hand <paramref name="step"/> to the scheduler.</summary>
    public async Task<bool> ReserveNextStepAsync(Guid jobId, int step, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs
            .Where(j => j.Id == jobId && EF.Property<int>(j, QueuedStepColumn) < step)
            .ExecuteUpdateAsync(s => s.SetProperty(j => EF.Property<int>(j, QueuedStepColumn), step), cancellationToken) == 1;
    }

    /// <summary>Undoes <see cref="ReserveNextStepAsync"/> when handing the step over failed, so a retry reserves it again.</summary>
    public async Task ReleaseNextStepAsync(Guid jobId, int step)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Jobs
            .Where(j => j.Id == jobId && EF.Property<int>(j, QueuedStepColumn) == step)
            .ExecuteUpdateAsync(s => s.SetProperty(j => EF.Property<int>(j, QueuedStepColumn), step - 1));
    }

    /// <summary>
    /// Records Failed once the scheduler has given up on a step (its retries ran out), unless a cancel was accepted first:
    /// an accepted cancel promised the job ends Cancelled.
    /// </summary>
    public async Task FailAsync(Guid jobId, string error)
    {
        if (!await FinishAsync(jobId, JobStatus.Failed, null, error, "Failed", unlessCancelRequested: true))
        {
            await FinishCancelledAsync(jobId);
        }
    }

    /// <summary>Records Cancelled unless the job already ended; a model card written a moment before goes with the job's result.</summary>
    public async Task FinishCancelledAsync(Guid jobId)
    {
        if (await FinishAsync(jobId, JobStatus.Cancelled, null, null, "Cancelled", unlessCancelRequested: false))
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.ModelCards.Where(c => c.JobId == jobId).ExecuteDeleteAsync();
        }
    }

    private async Task<PortalJob?> ClaimAsync(Guid jobId, int step, bool isRetry, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var claimed = await db.Jobs
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running) && j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, JobStatus.Running)
                      .SetProperty(j => j.ProgressMessage, j => j.StartedAt == null ? "Started" : j.ProgressMessage),
                cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return null;
        }

        if (claimed == 0)
        {
            // Finished already, or a cancel was recorded before the step started.
            if (!job.IsFinished && job.IsCancelRequested)
            {
                await FinishCancelledAsync(jobId);
            }

            return null;
        }

        if (job.StartedAt is null || isRetry)
        {
            // Attempts counts the start, retries and resumptions after a restart (those at start-up), not the steps of one run.
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.StartedAt, job.StartedAt ?? now),
                cancellationToken);
            job.Attempts++;
            job.StartedAt ??= now;
        }

        notifier.Publish(JobEvents.StatusChanged(job));
        LogStarted(logger, job.Kind, job.Id, step, job.Attempts);
        return job;
    }

    private async Task<JobStepOutcome> RunClaimedAsync(PortalJob job, int step, CancellationToken cancellationToken)
    {
        var execution = new JobExecution(job, dbFactory, notifier);
        if (job.Kind != JobKind.FineTuning)
        {
            var result = await handlers.Single(h => h.Kind == job.Kind).RunAsync(execution, cancellationToken);
            await CompleteAsync(job.Id, result);
            return JobStepOutcome.Done;
        }

        if (JobSteps.IsModelCard(job, step))
        {
            if (job.CurrentRound < job.TotalRounds)
            {
                // A stray delivery ahead of its rounds; the chain reaches the card in order.
                return JobStepOutcome.Done;
            }

            var result = await fineTuning.RunFinalAsync(execution, cancellationToken);
            await CompleteAsync(job.Id, result);
            return JobStepOutcome.Done;
        }

        if (job.CurrentRound == step - 1)
        {
            await fineTuning.RunRoundAsync(execution, step, cancellationToken);
        }
        else if (job.CurrentRound < step - 1)
        {
            return JobStepOutcome.Done;
        }

        // Recorded now (by this delivery or an earlier one): stop here if a cancel came in, else go on.
        if (await IsCancelRequestedAsync(job.Id, CancellationToken.None))
        {
            await FinishCancelledAsync(job.Id);
            return JobStepOutcome.Done;
        }

        // Early stopping moves the round counter to the last round: the next step is then the model card's.
        return JobStepOutcome.Next(Math.Max(step, job.CurrentRound) + 1);
    }

    private async Task WatchForCancelAsync(Guid jobId, CancellationTokenSource watcher)
    {
        try
        {
            while (!watcher.IsCancellationRequested)
            {
                await Task.Delay(CancelPollInterval, watcher.Token);
                if (await IsCancelRequestedAsync(jobId, watcher.Token))
                {
                    await watcher.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The step ended, or the watcher itself fired.
        }
    }

    private async Task<bool> IsCancelRequestedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AnyAsync(j => j.Id == jobId && j.CancelRequestedAt != null, cancellationToken);
    }

    /// <summary>Completed only if no cancel was recorded first: a job whose cancel was accepted never completes.</summary>
    private async Task CompleteAsync(Guid jobId, string resultJson)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var completed = await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Completed)
                .SetProperty(j => j.ResultJson, resultJson)
                .SetProperty(j => j.Error, (string?)null)
                .SetProperty(j => j.FinishedAt, DateTimeOffset.UtcNow)
                .SetProperty(j => j.Progress, 1.0)
                .SetProperty(j => j.ProgressMessage, "Completed"));
        if (completed == 0)
        {
            // The cancel won: the card written a moment ago goes with the job's result.
            await FinishCancelledAsync(jobId);
            return;
        }

        await PublishAsync(db, jobId);
    }

    /// <summary>Records the end, once: false when the job had already ended (or, with <paramref name="unlessCancelRequested"/>, a cancel was recorded).</summary>
    private async Task<bool> FinishAsync(Guid jobId, JobStatus status, string? resultJson, string? error, string message, bool unlessCancelRequested)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var finished = await db.Jobs
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .Where(j => !unlessCancelRequested || j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.ResultJson, j => resultJson ?? j.ResultJson)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.FinishedAt, DateTimeOffset.UtcNow)
                .SetProperty(j => j.ProgressMessage, message));
        if (finished > 0)
        {
            await PublishAsync(db, jobId);
        }

        return finished > 0;
    }

    private async Task UpdateMessageAsync(Guid jobId, string message)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running).ExecuteUpdateAsync(s => s.SetProperty(j => j.ProgressMessage, message));
    }

    private async Task PublishAsync(PortalDbContext db, Guid jobId)
    {
        if (await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId) is { } row)
        {
            notifier.Publish(JobEvents.StatusChanged(row));
        }
    }

    /// <summary>What the step was doing, in words for a job's error ("in round 2 of 4").</summary>
    private static string During(PortalJob job, int step) => job.Kind switch
    {
        JobKind.FineTuning when JobSteps.IsModelCard(job, step) => "while writing the model card and package",
        JobKind.FineTuning => $"in round {step} of {job.TotalRounds}",
        _ => "for its result",
    };

    /// <summary>
    /// Failures of the job's data, parameters or code, or a data folder the portal may not write to: another attempt would
    /// fail the same way.
    /// </summary>
    internal static bool IsPermanent(Exception exception) => exception is
        UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException or JsonException
        or NotSupportedException or IncompatibleDomainException or DomainNotFoundException
        or NullReferenceException or IndexOutOfRangeException or KeyNotFoundException;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job {JobId} step {Step} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, JobKind kind, Guid jobId, int step, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job {JobId} step {Step} interrupted by shutdown; it resumes at the next start")]
    private static partial void LogInterrupted(ILogger logger, JobKind kind, Guid jobId, int step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {JobId} step {Step} failed; not retried")]
    private static partial void LogFailed(ILogger logger, JobKind kind, Guid jobId, int step, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {JobId} step {Step} failed; the scheduler retries it")]
    private static partial void LogRetrying(ILogger logger, JobKind kind, Guid jobId, int step, Exception exception);
}
