using FTLPortal.Web.Ops;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace FTLPortal.Web.Tests.Ops;

public sealed class SchedulerSnapshotTests : IAsyncLifetime
{
    private readonly string _name = $"ops-snapshot-{Guid.NewGuid():N}";
    private readonly ServiceProvider _services;
    private IScheduler _scheduler = null!;

    public SchedulerSnapshotTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // A scheduler name of its own: Quartz keeps schedulers in a process-wide repository by name.
        services.AddQuartz(_name, q => q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 3));
        _services = services.BuildServiceProvider();
    }

    public async Task InitializeAsync() =>
        _scheduler = await _services.GetRequiredKeyedService<ISchedulerFactory>(_name).GetScheduler();

    public async Task DisposeAsync()
    {
        await _scheduler.Shutdown(waitForJobsToComplete: false);
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task LoadAsync_ListsJobsWithTheirTriggersAndStates_WhenJobsAreScheduled()
    {
        var waiting = await ScheduleAsync("FineTuning", "waiting-job", "Fine-tune base v1");
        var paused = await ScheduleAsync("Similarity", "paused-job", "Similarity of 3 domains");
        await _scheduler.PauseTrigger(paused);

        var snapshot = await SchedulerSnapshot.LoadAsync(_scheduler, CancellationToken.None);

        Assert.Equal(["FineTuning", "Similarity"], snapshot.JobGroups);
        Assert.Equal(2, snapshot.Jobs.Count);
        var fineTuning = Assert.Single(snapshot.Jobs, j => j.Name == "waiting-job");
        Assert.Equal("Fine-tune base v1", fineTuning.Description);
        var trigger = Assert.Single(fineTuning.Triggers);
        Assert.Equal(waiting.ToString(), trigger.Key);
        Assert.Equal(TriggerState.Normal, trigger.State);
        Assert.NotNull(trigger.NextFireTime);
        Assert.Equal(TriggerState.Paused, Assert.Single(Assert.Single(snapshot.Jobs, j => j.Name == "paused-job").Triggers).State);
    }

    [Fact]
    public async Task LoadAsync_ReportsStatusStoreAndThreadPool_WhenSchedulerIsNotStarted()
    {
        var snapshot = await SchedulerSnapshot.LoadAsync(_scheduler, CancellationToken.None);

        Assert.NotEqual(SchedulerStatus.Running, snapshot.Status);
        Assert.Null(snapshot.RunningSince);
        Assert.Equal(3, snapshot.ThreadPoolSize);
        Assert.False(snapshot.JobStorePersistent);
        Assert.False(string.IsNullOrEmpty(snapshot.JobStoreType));
        Assert.DoesNotContain(",", snapshot.JobStoreType, StringComparison.Ordinal);
        Assert.Empty(snapshot.Executing);
        Assert.Empty(snapshot.Jobs);
    }

    [Fact]
    public void ShortTypeName_KeepsOnlyTheTypeName_WhenGivenAnAssemblyQualifiedName() =>
        Assert.Equal("JobStoreTX", SchedulerSnapshot.ShortTypeName("Quartz.Impl.AdoJobStore.JobStoreTX, Quartz"));

    private async Task<TriggerKey> ScheduleAsync(string group, string name, string description)
    {
        var detail = JobBuilder.Create<NoOpJob>().WithIdentity(name, group).WithDescription(description).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, group)
            .ForJob(detail)
            .StartAt(DateTimeOffset.UtcNow.AddHours(1))
            .Build();
        await _scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions(), CancellationToken.None);
        return trigger.Key;
    }

    private sealed class NoOpJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
