using FTLPortal.Infrastructure.Jobs;
using Hangfire.Client;
using Hangfire.States;
using Hangfire.Storage;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Ties Hangfire jobs to portal jobs: stamps the portal job's id on each Hangfire job as it is created, records the
/// portal job Failed when Hangfire gives up on a step (its retries ran out), and Cancelled when an admin deletes the
/// step from the dashboard. Per host (not in Hangfire's static filters): several hosts may share a process in tests.
/// </summary>
internal sealed class PortalJobFilter(PortalJobRunner runner) : IClientFilter, IApplyStateFilter
{
    public const string PortalJobIdParameter = "PortalJobId";

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PortalJobIdOf(context.Job) is { } portalJobId)
        {
            context.SetJobParameter(PortalJobIdParameter, portalJobId.ToString());
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PortalJobIdOf(context.BackgroundJob.Job) is not { } portalJobId)
        {
            return;
        }

        // Hangfire applies states synchronously; these are single conditional updates of the portal job's row.
        if (context.NewState is FailedState failed)
        {
            runner.FailAsync(portalJobId, failed.Exception?.Message ?? "The job failed.").GetAwaiter().GetResult();
        }
        else if (context.NewState is DeletedState)
        {
            runner.FinishCancelledAsync(portalJobId).GetAwaiter().GetResult();
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    /// <summary>The portal job a Hangfire job works for: the first argument of every portal step (not of recurring occurrences).</summary>
    internal static Guid? PortalJobIdOf(Hangfire.Common.Job? job) =>
        job?.Type == typeof(PortalHangfireJobs) && job.Method.Name != nameof(PortalHangfireJobs.OccurrenceAsync) && job.Args.Count > 0 && job.Args[0] is Guid id
            ? id
            : null;

    /// <summary>Which step of its portal job a Hangfire job runs (<see cref="JobSteps"/>): a round, the model card, or the whole job.</summary>
    internal static int? StepOf(Hangfire.Common.Job? job) => PortalJobIdOf(job) is null
        ? null
        : job!.Method.Name switch
        {
            nameof(PortalHangfireJobs.FineTuningRoundAsync) when job.Args[2] is int round => round,
            nameof(PortalHangfireJobs.FineTuningModelCardAsync) when job.Args[2] is int rounds => rounds + 1,
            _ => JobSteps.Whole,
        };
}
