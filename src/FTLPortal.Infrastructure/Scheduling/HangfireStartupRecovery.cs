using System.Diagnostics;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SQLite;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Runs at start, before this node's Hangfire server (hosted services start in order, and before the web server). With
/// the SQLite storage, which serves one server process, whatever the file still holds was held by a process that died
/// (killed, not stopped): its fetched queue rows are made visible again at once rather than after the storage's
/// 30-minute invisibility timeout, and its locks are deleted (<see cref="SQLiteDeadProcessRelease"/>); a step it had
/// fetched then runs again whether it was still Enqueued or already Processing (a worker takes either), and a fine-tuning
/// job's next step that it had reserved but not yet queued is released to the step that will run before it. An unfinished
/// portal job with no Hangfire step at all gets its next step queued. Steps are idempotent, so a step that also comes back later by itself does no harm. Nothing here waits on
/// a Hangfire lock; every wait is a database call bounded by its connection's busy or command timeout.
/// </summary>
internal sealed partial class HangfireStartupRecovery(
    JobStorage storage,
    HangfireJobScheduler scheduler,
    StuckJobReconciler reconciler,
    IDbContextFactory<PortalDbContext> dbFactory,
    ILogger<HangfireStartupRecovery> logger) : IHostedService
{
    private const int PageSize = 10_000;

    /// <summary>The states in which a worker that takes a step's queue row runs it (Hangfire's worker drops it otherwise).</summary>
    private static readonly string[] RunnableStates = [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LogStarting(logger);
        // Only then is every claim in the storage a dead process's (a shared storage's other nodes are alive).
        var soleProcess = storage is SQLiteStorage;
        if (storage is SQLiteStorage sqlite)
        {
            ReleaseDeadProcessClaims(sqlite);
        }

        // First the jobs whose last step failed with nothing left to run them (their Failed record was lost, e.g. to a
        // full disk): they end Failed with the reason rather than resume.
        var stuck = await reconciler.ReconcileAsync(seenBefore: null, cancellationToken);
        var monitoring = storage.GetMonitoringApi();
        // The highest step of each portal job that Hangfire still holds and will run.
        var liveSteps = new Dictionary<Guid, int>();
        void Live(Job? step)
        {
            if (PortalJobFilter.PortalJobIdOf(step) is { } portalJobId && PortalJobFilter.StepOf(step) is { } number)
            {
                liveSteps[portalJobId] = Math.Max(number, liveSteps.GetValueOrDefault(portalJobId, int.MinValue));
            }
        }

        foreach (var queue in PortalQueues.All)
        {
            // Rows still fetched belong to a live node of a shared storage (SQLite has none left): they are its to finish.
            foreach (var (_, fetched) in monitoring.FetchedJobs(queue, 0, PageSize))
            {
                Live(fetched.Job);
            }

            // A queue row whose step already ended (the process died before removing it) is dropped by the worker that
            // takes it, so it runs nothing.
            foreach (var (_, enqueued) in monitoring.EnqueuedJobs(queue, 0, PageSize))
            {
                if (RunnableStates.Contains(enqueued.State, StringComparer.OrdinalIgnoreCase))
                {
                    Live(enqueued.Job);
                }
            }
        }

        foreach (var (_, scheduled) in monitoring.ScheduledJobs(0, PageSize))
        {
            Live(scheduled.Job);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Queued || j.Status == JobStatus.Running) && j.CancelRequestedAt == null)
            .ToListAsync(cancellationToken);
        // A job that was running when the node stopped resumes now: one more attempt.
        await db.Jobs.Where(j => j.Status == JobStatus.Running && j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.ProgressMessage, "Resuming after a restart"), cancellationToken);
        foreach (var job in unfinished.Where(j => !stuck.Contains(j.Id)))
        {
            var covered = liveSteps.TryGetValue(job.Id, out var highest);
            if (soleProcess && job.Kind == JobKind.FineTuning)
            {
                // A step hands on to its successor by reserving it in the database, then creating its Hangfire job. A kill
                // between the two leaves a reservation with no step behind it, and the re-run of the step before finds
                // its successor reserved and queues nothing: the job would wait forever. Reservations above the highest
                // step that will run (or the step queued below) are the dead process's, so they go.
                await ReleaseReservationsAboveAsync(db, job, covered ? highest : JobSteps.First(job), cancellationToken);
            }

            if (!covered)
            {
                LogRescheduled(logger, job.Kind, job.Id, job.CurrentRound);
                await scheduler.ScheduleAsync(job, cancellationToken);
            }
        }

        LogFinished(logger, unfinished.Count, clock.ElapsedMilliseconds);
    }

    private async Task ReleaseReservationsAboveAsync(PortalDbContext db, PortalJob job, int step, CancellationToken cancellationToken)
    {
        var released = await db.Jobs
            .Where(j => j.Id == job.Id && EF.Property<int>(j, PortalJobRunner.QueuedStepColumn) > step)
            .ExecuteUpdateAsync(s => s.SetProperty(j => EF.Property<int>(j, PortalJobRunner.QueuedStepColumn), step), cancellationToken);
        if (released > 0)
        {
            LogReservationReleased(logger, job.Id, step);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void ReleaseDeadProcessClaims(SQLiteStorage sqlite)
    {
        try
        {
            var (fetched, locks) = SQLiteDeadProcessRelease.Release(sqlite);
            LogReleased(logger, fetched, locks);
        }
        catch (SQLiteException ex)
        {
            // The portal still serves; the steps come back after the invisibility timeout, and locks when they expire.
            LogReleaseFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up recovery: looking for steps and jobs a previous process left unfinished")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up recovery: {Fetched} fetched queue entries and {Locks} locks left by a previous process released")]
    private static partial void LogReleased(ILogger logger, int fetched, int locks);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up recovery could not release what a previous process left in hangfire.db; its fetched steps resume after the invisibility timeout")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up recovery: fine-tuning job {JobId} had its next step reserved but never queued; the reservation is back at step {Step}, whose run queues it")]
    private static partial void LogReservationReleased(ILogger logger, Guid jobId, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up recovery finished in {ElapsedMs} ms ({Unfinished} unfinished portal jobs)")]
    private static partial void LogFinished(ILogger logger, int unfinished, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unfinished {Kind} job {JobId} had no Hangfire job; queued its next step (last completed round {Round})")]
    private static partial void LogRescheduled(ILogger logger, JobKind kind, Guid jobId, int round);
}
