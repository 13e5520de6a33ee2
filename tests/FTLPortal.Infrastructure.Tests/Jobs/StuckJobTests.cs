using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Scheduling;
using FTLPortal.Infrastructure.Storage;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Issue 10 finding 10: a job whose end could not be recorded does not stay Running forever.</summary>
public sealed class StuckJobTests
{
    [Fact]
    public async Task ReconcileAsync_RecordsFailedWithReason_WhenLastStepFailedButItsFailureWasNotRecorded()
    {
        await using var host = await PortalHost.StartAsync();
        var jobId = await StuckJobAsync(host);
        var reconciler = host.Get<StuckJobReconciler>();

        // A periodic pass records a job only when the previous pass found it stuck too.
        var firstPass = await reconciler.ReconcileAsync(new HashSet<Guid>(), default);
        Assert.Contains(jobId, firstPass);
        Assert.Equal(JobStatus.Running, (await ReadAsync(host, jobId)).Status);

        await reconciler.ReconcileAsync(firstPass, default);
        var job = await ReadAsync(host, jobId);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("No space left on device", job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_RecordsStuckJobFailed_InsteadOfResumingIt()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-stuck-" + Guid.NewGuid().ToString("N"));
        Guid jobId;
        var first = await PortalHost.StartAsync(dataDirectory);
        {
            jobId = await StuckJobAsync(first);
            await first.StopKeepingDataAsync();
        }

        await using var second = await PortalHost.StartAsync(dataDirectory);
        var job = await ReadAsync(second, jobId);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("No space left on device", job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTuning_EndsFailedWithReasonAndPortalKeepsServing_WhenDataFolderBecomesUnwritableMidJob()
    {
        UnwritableArtifactStore? store = null;
        // The base model's weights and the first round's checkpoint are written; the second round's write is refused.
        await using var host = await PortalHost.StartAsync(configure: services =>
        {
            services.RemoveAll<IArtifactStore>();
            services.AddSingleton<IArtifactStore>(sp => store = new UnwritableArtifactStore(ActivatorUtilities.CreateInstance<FileSystemArtifactStore>(sp), writesAllowed: 2));
        });
        var jobs = host.Get<IJobService>();
        var domains = await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);

        var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "disk goes away", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 4, LocalEpochs = 1 }, default);
        var job = await host.WaitForAsync(request.Job!.Id);

        Assert.True(store!.Unwritable);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("Access to the path", job.Error, StringComparison.Ordinal);
        Assert.InRange(job.CurrentRound, 0, 3);
        // The portal goes on: another job (one that writes no artifact) runs to the end.
        var similarity = await jobs.RequestSimilarityAsync(PortalHost.Scientist, new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() }, default);
        Assert.Equal(JobStatus.Completed, (await host.WaitForAsync(similarity.Job!.Id)).Status);
    }

    [Fact]
    public async Task FineTuning_EndsFailedWithPlainReason_AndRerunResumesFromCheckpoint_WhenDiskFillsMidJob()
    {
        UnwritableArtifactStore? store = null;
        string? dataDirectory = null;
        // As .NET reports ENOSPC on Linux: HResult 28 and a message naming the server's path.
        Exception DiskFull(string key) => new IOException($"No space left on device : '{Path.Combine(dataDirectory!, "artifacts", key)}'", FTLPortal.Infrastructure.Storage.DiskFull.UnixEnospc);
        await using var host = await PortalHost.StartAsync(configure: services =>
        {
            services.RemoveAll<IArtifactStore>();
            services.AddSingleton<IArtifactStore>(sp => store = new UnwritableArtifactStore(ActivatorUtilities.CreateInstance<FileSystemArtifactStore>(sp), writesAllowed: int.MaxValue, DiskFull));
        });
        dataDirectory = host.DataDirectory;
        var jobs = host.Get<IJobService>();
        var domains = await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);

        // Round 1's checkpoint and server state still fit; round 2's do not.
        store!.FailAfter(2);
        var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "disk fills", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 4, LocalEpochs = 1 }, default);
        var failed = await host.WaitForAsync(request.Job!.Id);

        Assert.True(store.Unwritable);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.StartsWith("The disk is full: ", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.Error!.Contains("in round 2 of 4", StringComparison.Ordinal), $"{failed.Error} (written: {string.Join(", ", store.Saved)})");
        Assert.DoesNotContain(host.DataDirectory, failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("No space left on device", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, failed.CurrentRound);
        // Not retried: a full disk stays full until someone frees space.
        Assert.Equal(1, failed.Attempts);
        // The portal goes on: a job that writes no artifact runs to the end.
        var similarity = await jobs.RequestSimilarityAsync(PortalHost.Scientist, new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() }, default);
        Assert.Equal(JobStatus.Completed, (await host.WaitForAsync(similarity.Job!.Id)).Status);

        store.Free();
        var rerun = await jobs.RerunAsync(PortalHost.Scientist, failed.Id, default);
        Assert.True(rerun.Job is not null, rerun.Error);
        var completed = await host.WaitForAsync(failed.Id);

        Assert.Equal(JobStatus.Completed, completed.Status);
        Assert.Equal(4, completed.CurrentRound);
        // Resumed from round 1's checkpoint: round 1 was trained and saved once, rounds 2 to 4 after the re-run.
        var checkpoints = store.Saved.Where(k => k.StartsWith($"jobs/{failed.Id}/rounds/", StringComparison.Ordinal) && k.EndsWith(".safetensors", StringComparison.Ordinal)).ToList();
        Assert.Equal([1, 2, 3, 4], checkpoints.Select(k => int.Parse(Path.GetFileNameWithoutExtension(k), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotNull(await host.Get<FTLPortal.Core.ModelCards.IModelCardService>().ReadPackageAsync(PortalHost.Scientist, failed.Id, default));
    }

    /// <summary>A portal job left Running whose step's Failed state was applied while its own record could not be written.</summary>
    private static async Task<Guid> StuckJobAsync(PortalHost host)
    {
        var jobId = Guid.NewGuid();
        // The step fails for good (its retries used up) while the portal has no row to update: what a lost write leaves.
        var hangfireId = host.Get<HangfireJobScheduler>().Create(jobId, JobKind.Similarity, "stuck", 0, 0, new ScheduledState(TimeSpan.FromDays(1)));
        using (var connection = host.Get<JobStorage>().GetConnection())
        {
            connection.SetJobParameter(hangfireId, "RetryCount", "3");
        }

        Assert.True(host.Get<IBackgroundJobClient>().ChangeState(hangfireId, new FailedState(new IOException("No space left on device"))));
        var factory = host.Get<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.Jobs.Add(new PortalJob { Id = jobId, Kind = JobKind.Similarity, Name = "stuck", ParametersJson = "{}", Status = JobStatus.Running, StartedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return jobId;
    }

    private static async Task<PortalJob> ReadAsync(PortalHost host, Guid jobId)
    {
        await using var db = await host.Get<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
    }
}
