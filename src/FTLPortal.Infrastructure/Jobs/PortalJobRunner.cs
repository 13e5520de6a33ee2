using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>The one Quartz job type: loads the portal job, runs its handler, and records how it ended.</summary>
internal sealed partial class PortalJobRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    IJobNotifier notifier,
    IEnumerable<IPortalJobHandler> handlers,
    JobCancellationRequests cancellations,
    IHostApplicationLifetime lifetime,
    ILogger<PortalJobRunner> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Quartz cancels on Interrupt (a user's cancel); the host's stopping token covers a node shutting down.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await ExecuteAsync(context, linked.Token);
    }

    private async Task ExecuteAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(QuartzJobScheduler.JobIdKey), out var jobId))
        {
            return;
        }

        PortalJob? job;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
            if (job is null || job.IsFinished)
            {
                return;
            }

            job.Status = JobStatus.Running;
            job.StartedAt ??= DateTimeOffset.UtcNow;
            job.Attempts++;
            job.ProgressMessage = context.Recovering ? "Resuming after a restart" : "Started";
            await db.SaveChangesAsync(cancellationToken);
        }

        notifier.Publish(JobEvents.StatusChanged(job));
        LogStarted(logger, job.Kind, job.Id, job.Attempts);
        var handler = handlers.Single(h => h.Kind == job.Kind);
        var execution = new JobExecution(job, dbFactory, notifier);
        try
        {
            var result = await handler.RunAsync(execution, cancellationToken);
            await FinishAsync(job, JobStatus.Completed, result, null, "Completed");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && cancellations.IsRequested(job.Id))
        {
            cancellations.Forget(job.Id);
            await FinishAsync(job, JobStatus.Cancelled, null, null, "Cancelled");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is shutting down: leave the job unfinished so the next start resumes it from its checkpoint.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.ProgressMessage, "Interrupted by shutdown; resumes at the next start"), CancellationToken.None);
            LogInterrupted(logger, job.Kind, job.Id);
        }
#pragma warning disable CA1031 // Any failure of the work is the job's failure, recorded for the user; the scheduler itself goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, job.Kind, job.Id, ex);
            await FinishAsync(job, JobStatus.Failed, null, ex.Message, "Failed");
        }
    }

    private async Task FinishAsync(PortalJob job, JobStatus status, string? resultJson, string? error, string message)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.Jobs.FirstAsync(j => j.Id == job.Id);
        row.Status = status;
        row.ResultJson = resultJson ?? row.ResultJson;
        row.Error = error;
        row.FinishedAt = DateTimeOffset.UtcNow;
        row.ProgressMessage = message;
        row.Progress = status == JobStatus.Completed ? 1 : job.Progress;
        row.CurrentRound = job.CurrentRound;
        await db.SaveChangesAsync();
        notifier.Publish(JobEvents.StatusChanged(row));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job {JobId} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, JobKind kind, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job {JobId} interrupted by shutdown; it resumes at the next start")]
    private static partial void LogInterrupted(ILogger logger, JobKind kind, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, JobKind kind, Guid jobId, Exception exception);
}
