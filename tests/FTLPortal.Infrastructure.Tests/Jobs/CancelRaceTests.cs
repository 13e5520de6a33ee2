using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Similarity;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>
/// Issue 10 finding 3: an accepted cancel (202) means the job ends Cancelled; a refused one (409) names the job's real
/// state. Schedule-then-cancel pairs at varying delays hit every moment: queued, claimed, running, finishing.
/// </summary>
public sealed class CancelRaceTests : IAsyncLifetime
{
    private const int Pairs = 40;

    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CancelAsync_AcceptedCancelAlwaysEndsCancelled_WhenIssuedRightAfterScheduling()
    {
        var jobs = _host.Get<IJobService>();
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var parameters = new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() };
        var outcomes = new List<(Guid Job, bool Accepted)>();
        for (var i = 0; i < Pairs; i++)
        {
            var request = await jobs.RequestSimilarityAsync(PortalHost.Scientist, parameters, default);
            Assert.True(request.Succeeded, request.Error);
            // 0, 10, 20 ... 90 ms: some cancels land while queued, some while the step is claimed or running, some after.
            await Task.Delay(i % 10 * 10);
            outcomes.Add((request.Job!.Id, await jobs.CancelAsync(PortalHost.Scientist, request.Job.Id, default)));
        }

        foreach (var (job, accepted) in outcomes)
        {
            var done = await _host.WaitForAsync(job);
            if (accepted)
            {
                Assert.True(done.Status == JobStatus.Cancelled, $"cancel of {job} was accepted, yet it ended {done.Status}: {done.Error}");
            }
            else
            {
                Assert.True(done.Status is JobStatus.Completed or JobStatus.Failed, $"cancel of {job} was refused while it was {done.Status}");
            }
        }
    }

    [Fact]
    public async Task CancelAsync_AcceptedCancelEndsCancelledWithoutCard_WhenIssuedWhileModelCardIsWritten()
    {
        var jobs = _host.Get<IJobService>();
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 8, epochs: 1);
        var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "cancel at the card", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 1, LocalEpochs = 1 }, default);
        await _host.WaitForAsync(request.Job!.Id, j => j.IsFinished || j.Progress >= 0.9);

        var accepted = await jobs.CancelAsync(PortalHost.Scientist, request.Job.Id, default);
        var done = await _host.WaitForAsync(request.Job.Id);

        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, done.Id, default);
        if (accepted)
        {
            Assert.Equal(JobStatus.Cancelled, done.Status);
            Assert.Null(card);
        }
        else
        {
            Assert.Equal(JobStatus.Completed, done.Status);
            Assert.NotNull(card);
        }
    }
}
