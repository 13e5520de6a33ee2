using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>A running job as its handler sees it: its row, and a way to report progress that persists and notifies.</summary>
internal sealed class JobExecution(PortalJob job, IDbContextFactory<PortalDbContext> dbFactory, IJobNotifier notifier)
{
    public PortalJob Job { get; } = job;

    public IJobNotifier Notifier { get; } = notifier;

    public IDbContextFactory<PortalDbContext> DbFactory { get; } = dbFactory;

    /// <summary>Persists progress and publishes it; cheap enough to call once per epoch or round.</summary>
    public async Task ReportAsync(double progress, string message, int? round = null, CancellationToken cancellationToken = default)
    {
        Job.Progress = Math.Clamp(progress, 0, 1);
        Job.ProgressMessage = message;
        if (round is { } r)
        {
            Job.CurrentRound = r;
        }

        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == Job.Id).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Progress, Job.Progress)
                  .SetProperty(j => j.ProgressMessage, Job.ProgressMessage)
                  .SetProperty(j => j.CurrentRound, Job.CurrentRound),
            cancellationToken);
        Notifier.Publish(JobEvents.Progress(Job));
    }

    public T Parameters<T>() => System.Text.Json.JsonSerializer.Deserialize<T>(Job.ParametersJson)
        ?? throw new InvalidOperationException($"Job {Job.Id} has no parameters.");
}
