using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Jobs;

public sealed class JobRecoveryTests
{
    /// <summary>On PostgreSQL the storage is shared, so start-up recovery skips the SQLite-only release of dead claims: the
    /// stopping node handed its step back to the queue, and the restarted node's server takes it from there.</summary>
    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task FineTuningJob_ResumesFromCheckpointAndCompletes_WhenNodeRestartsMidJob(PortalDatabaseProvider database)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-restart-" + Guid.NewGuid().ToString("N"));
        Guid jobId;
        const int rounds = 8;
        var first = await PortalHost.StartAsync(dataDirectory, database: database);
        {
            var jobs = first.Get<IJobService>();
            var domains = await first.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
            var model = await first.PretrainAsync(domains[0].Id, hiddenSize: 16, epochs: 2);
            first.SlowDownLocalTraining(TimeSpan.FromMilliseconds(300));
            var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "survives restarts", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = rounds, LocalEpochs = 2 }, default);
            jobId = request.Job!.Id;
            await first.WaitForAsync(jobId, j => j.CurrentRound >= 2);
            await first.StopKeepingDataAsync();
        }

        var interrupted = await ReadJobAsync(dataDirectory, database, jobId);
        Assert.False(interrupted.IsFinished, $"a shutdown must not finish the job: {interrupted.Status} {interrupted.Error}");
        Assert.InRange(interrupted.CurrentRound, 2, rounds - 1);

        await using var second = await PortalHost.StartAsync(dataDirectory, database: database);
        var done = await second.WaitForAsync(jobId);

        Assert.True(done.Status == JobStatus.Completed, done.Error);
        Assert.Equal(2, done.Attempts);
        var metrics = await second.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, jobId, default);
        // Each round recorded once per partner: resumed rounds replace nothing and skip nothing.
        Assert.Equal(Enumerable.Range(1, rounds), metrics.Select(m => m.Round).Distinct().Order());
        Assert.All(metrics.GroupBy(m => m.Round), g => Assert.Equal(3, g.Count()));
    }

    private static async Task<PortalJob> ReadJobAsync(string dataDirectory, PortalDatabaseProvider database, Guid jobId)
    {
        await using var db = await PortalHost.OpenStoppedHostDatabaseAsync(dataDirectory, database);
        return await db.Jobs.FirstAsync(j => j.Id == jobId);
    }
}
