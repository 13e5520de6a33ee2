using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Scheduling;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Scheduling;

/// <summary>
/// What a process killed with kill -9 leaves in hangfire.db, and that the next start-up gets past it: a queue row the dead
/// worker had fetched while the step was still Enqueued (the kill landed before it moved to Processing), and the dead
/// worker's lock on that step's state.
/// </summary>
public sealed class HangfireStartupRecoveryTests
{
    // Only so a broken recovery fails the test instead of hanging it; no timing is asserted.
    private static readonly TimeSpan StartBound = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_RunsStepAndReleasesLocks_WhenKilledProcessLeftStepFetchedButEnqueued(bool stateLocked)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-killed-" + Guid.NewGuid().ToString("N"));
        Guid jobId;
        var first = await PortalHost.StartAsync(dataDirectory);
        {
            // Scheduled a day ahead, so this node's server leaves the step alone until the file is edited below.
            var domains = await first.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
            var request = await first.Get<IJobService>().ScheduleSimilarityAsync(
                PortalHost.Scientist,
                new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() },
                JobTiming.At(DateTimeOffset.UtcNow.AddDays(1)),
                default);
            jobId = request.Job!.Id;
            await first.StopKeepingDataAsync();
        }

        var hangfireDb = Path.Combine(dataDirectory, "hangfire.db");
        var stepId = EnqueueScheduledStep(hangfireDb, jobId);
        var deadLock = await LeaveAsKilledWorkerWouldAsync(hangfireDb, stepId, stateLocked);

        // Off the test's thread: a blocked start-up blocks synchronously, and the bound must still fire.
        await using var second = await Task.Run(() => PortalHost.StartAsync(dataDirectory)).WaitAsync(StartBound);
        var done = await second.WaitForAsync(jobId);

        Assert.True(done.Status == JobStatus.Completed, $"{done.Status}: {done.Error}");
        if (deadLock is not null)
        {
            // The dead worker's lock itself is gone (the live worker may hold a lock of its own on the step by now).
            Assert.Equal(0, await CountLocksAsync(hangfireDb, deadLock));
        }
    }

    [Fact]
    public async Task StartAsync_QueuesNextRoundOnce_WhenKilledProcessReservedItButNeverQueuedIt()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-killed-" + Guid.NewGuid().ToString("N"));
        const int rounds = 4;
        Guid jobId;
        var first = await PortalHost.StartAsync(dataDirectory);
        {
            var domains = await first.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
            var model = await first.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
            first.SlowDownLocalTraining(TimeSpan.FromSeconds(1));
            var request = await first.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "reserved, never queued", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = rounds, LocalEpochs = 1 }, default);
            jobId = request.Job!.Id;
            var recorded = await first.WaitForAsync(jobId, j => j.CurrentRound >= 1);
            // Stopped once the recorded round's successor is queued, so the stop does not interrupt the hand-over itself.
            await WaitForStepAsync(first, jobId, recorded.CurrentRound + 1);
            await first.StopKeepingDataAsync();
        }

        var round = await CurrentRoundAsync(dataDirectory, jobId);
        Assert.InRange(round, 1, rounds - 1);
        var hangfireDb = Path.Combine(dataDirectory, "hangfire.db");
        var recordedStep = UnqueueSuccessorAndReenqueue(hangfireDb, jobId, round);
        await LeaveAsKilledWorkerWouldAsync(hangfireDb, recordedStep, stateLocked: false);

        await using var second = await Task.Run(() => PortalHost.StartAsync(dataDirectory)).WaitAsync(StartBound);
        var done = await second.WaitForAsync(jobId);

        Assert.True(done.Status == JobStatus.Completed, $"{done.Status}: {done.Error}");
        var metrics = await second.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, jobId, default);
        // Each round recorded once per partner: nothing skipped, nothing run twice.
        Assert.Equal(Enumerable.Range(1, rounds), metrics.Select(m => m.Round).Distinct().Order());
        Assert.All(metrics.GroupBy(m => m.Round), g => Assert.Equal(3, g.Count()));
    }

    /// <summary>
    /// Turns a gracefully stopped job into what a kill between reserving the successor of the step that recorded
    /// <paramref name="round"/> and creating its Hangfire job leaves: the reservation is in the database, the successor is
    /// gone, and that step is back in its queue (fetched, as its worker had it). Returns that step's Hangfire id.
    /// </summary>
    private static string UnqueueSuccessorAndReenqueue(string hangfireDb, Guid jobId, int round)
    {
        using var storage = new SQLiteStorage(hangfireDb, new SQLiteStorageOptions());
        var monitoring = storage.GetMonitoringApi();
        var client = new BackgroundJobClient(storage);
        var successor = monitoring.EnqueuedJobs(PortalQueues.Training, 0, 100).Single(j => PortalJobFilter.PortalJobIdOf(j.Value.Job) == jobId && PortalJobFilter.StepOf(j.Value.Job) == round + 1).Key;
        Assert.True(client.Delete(successor));
        var recorded = monitoring.SucceededJobs(0, 100).Single(j => PortalJobFilter.PortalJobIdOf(j.Value.Job) == jobId && PortalJobFilter.StepOf(j.Value.Job) == round).Key;
        Assert.True(client.ChangeState(recorded, new EnqueuedState(PortalQueues.Training), SucceededState.StateName));
        return recorded;
    }

    private static async Task WaitForStepAsync(PortalHost host, Guid jobId, int step)
    {
        var monitoring = host.Get<JobStorage>().GetMonitoringApi();
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        for (var i = 0; i < 600; i++)
        {
            var steps = monitoring.EnqueuedJobs(PortalQueues.Training, 0, 100).Select(j => j.Value.Job)
                .Concat(monitoring.ProcessingJobs(0, 100).Select(j => j.Value.Job));
            if (steps.Any(j => PortalJobFilter.PortalJobIdOf(j) == jobId && PortalJobFilter.StepOf(j) == step))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Step {step} of job {jobId} was never queued");
    }

    private static async Task<int> CurrentRoundAsync(string dataDirectory, Guid jobId)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False").Options;
        await using var db = new PortalDbContext(options);
        return (await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId)).CurrentRound;
    }

    /// <summary>Moves the portal job's scheduled step to Enqueued, as the dead process's scheduler would have done.</summary>
    private static string EnqueueScheduledStep(string hangfireDb, Guid jobId)
    {
        using var storage = new SQLiteStorage(hangfireDb, new SQLiteStorageOptions());
        var stepId = storage.GetMonitoringApi().ScheduledJobs(0, 100).Single(j => PortalJobFilter.PortalJobIdOf(j.Value.Job) == jobId).Key;
        Assert.True(new BackgroundJobClient(storage).ChangeState(stepId, new EnqueuedState(PortalQueues.Similarity), ScheduledState.StateName));
        return stepId;
    }

    /// <summary>
    /// The dead worker had fetched the step's queue row (hidden for the 30-minute invisibility timeout) and, when
    /// <paramref name="stateLocked"/>, held its state lock. A dead owner's lock would expire 30 s after its last heartbeat, but a waiter sleeps a tenth of its 15-minute
    /// timeout between tries; an expiry an hour ahead keeps this test independent of how quickly it runs.
    /// </summary>
    /// <returns>The dead worker's lock's id, if it held one.</returns>
    private static async Task<string?> LeaveAsKilledWorkerWouldAsync(string hangfireDb, string stepId, bool stateLocked)
    {
        await using var connection = new SqliteConnection($"Data Source={hangfireDb};Pooling=False");
        await connection.OpenAsync();
        await using var fetch = connection.CreateCommand();
        // The storage keeps DateTime values as ticks.
        fetch.CommandText = "UPDATE JobQueue SET FetchedAt = $now WHERE JobId = $step";
        fetch.Parameters.AddWithValue("$now", DateTime.UtcNow.Ticks);
        fetch.Parameters.AddWithValue("$step", int.Parse(stepId, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await fetch.ExecuteNonQueryAsync());
        if (!stateLocked)
        {
            return null;
        }

        await using var lockRow = connection.CreateCommand();
        lockRow.CommandText = "INSERT INTO DistributedLock (Id, Resource, ResourceKey, ExpireAt) VALUES ($id, $resource, $key, $expireAt)";
        var lockId = Guid.NewGuid().ToString();
        lockRow.Parameters.AddWithValue("$id", lockId);
        lockRow.Parameters.AddWithValue("$resource", $"HangFire:job:{stepId}:state-lock");
        lockRow.Parameters.AddWithValue("$key", Guid.NewGuid().ToString());
        lockRow.Parameters.AddWithValue("$expireAt", DateTime.UtcNow.AddHours(1).Ticks);
        Assert.Equal(1, await lockRow.ExecuteNonQueryAsync());
        return lockId;
    }

    private static async Task<long> CountLocksAsync(string hangfireDb, string lockId)
    {
        await using var connection = new SqliteConnection($"Data Source={hangfireDb};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM DistributedLock WHERE Id = $id";
        command.Parameters.AddWithValue("$id", lockId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
