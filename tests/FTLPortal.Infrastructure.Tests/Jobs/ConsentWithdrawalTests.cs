using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Similarity;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Issue 10 finding 4: jobs check consent as they start and before each round.</summary>
public sealed class ConsentWithdrawalTests : IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuning_DropsPartnerFromNextRoundWithReason_WhenItWithdrawsTrainingConsentMidJob()
    {
        var domains = await DomainsAsync();
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 8, epochs: 1);
        var fabrikam = domains.Single(d => d.Name == "fabrikam-screening");
        Guid jobId = Guid.Empty;
        var withdrawn = new TaskCompletionSource();
        using var subscription = _host.Get<IJobNotifier>().Subscribe(null, async e =>
        {
            if (e.JobId == jobId && e.Kind == JobEventKind.RoundCompleted && e.Round == 1 && !withdrawn.Task.IsCompleted)
            {
                await WithdrawAsync("fabrikam", fabrikam.Id, similarity: true);
                withdrawn.TrySetResult();
            }
        });
        _host.SlowDownLocalTraining(TimeSpan.FromMilliseconds(200));

        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "consent withdrawn", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 3, LocalEpochs = 1 }, default);
        jobId = request.Job!.Id;
        var job = await _host.WaitForAsync(jobId);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        Assert.True(withdrawn.Task.IsCompleted);
        var rounds = (await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, jobId, default)).Where(r => r.DomainId == fabrikam.Id).ToList();
        Assert.Contains(rounds, r => r.Round == 1 && !r.Dropped);
        // The round running when consent was withdrawn may finish with it; every round after it leaves the domain out.
        Assert.Contains(rounds, r => r.Round == 3 && r.Dropped && r.DropReason == FineTuningJobHandler.ConsentWithdrawnReason);
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, jobId, default);
        Assert.Contains("No final numbers for: Fabrikam Labs (the partner withdrew training consent", card!.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTuning_FailsNamingConsent_WhenEveryTargetWithdrawsBeforeTheNextRound()
    {
        var domains = await DomainsAsync();
        var model = await _host.PretrainAsync(domains.Single(d => d.Name == "northwind-registry").Id, hiddenSize: 8, epochs: 1);
        var targets = domains.Where(d => d.Name != "northwind-registry").ToList();
        Guid jobId = Guid.Empty;
        using var subscription = _host.Get<IJobNotifier>().Subscribe(null, async e =>
        {
            if (e.JobId == jobId && e.Kind == JobEventKind.RoundStarted && e.Round == 1)
            {
                await WithdrawAsync("contoso", targets.Single(d => d.Name == "contoso-outpatients").Id, similarity: true);
                await WithdrawAsync("fabrikam", targets.Single(d => d.Name == "fabrikam-screening").Id, similarity: true);
            }
        });
        _host.SlowDownLocalTraining(TimeSpan.FromMilliseconds(300));

        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "everyone leaves", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = targets.Select(d => d.Id).ToList(), Rounds = 4, LocalEpochs = 1 }, default);
        jobId = request.Job!.Id;
        var job = await _host.WaitForAsync(jobId);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("withdrew training consent", job.Error, StringComparison.Ordinal);
        Assert.True(job.CurrentRound < 4);
    }

    [Fact]
    public async Task Similarity_LeavesOutWithdrawnDomainThenFails_WhenConsentIsWithdrawnAfterRequest()
    {
        var domains = await DomainsAsync();
        var handler = _host.Get<IEnumerable<IPortalJobHandler>>().OfType<SimilarityJobHandler>().Single();
        var job = new PortalJob { Kind = JobKind.Similarity, Name = "queued before the withdrawal", ParametersJson = JsonSerializer.Serialize(new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() }) };
        var execution = new JobExecution(job, _host.Get<IDbContextFactory<PortalDbContext>>(), _host.Get<IJobNotifier>());
        var fabrikam = domains.Single(d => d.Name == "fabrikam-screening");
        var contoso = domains.Single(d => d.Name == "contoso-outpatients");

        await WithdrawAsync("fabrikam", fabrikam.Id, similarity: false);
        var result = JsonSerializer.Deserialize<SimilarityResult>(await handler.RunAsync(execution, default))!;

        Assert.Equal(domains.Select(d => d.Id).Where(id => id != fabrikam.Id), result.DomainIds);

        await WithdrawAsync("contoso", contoso.Id, similarity: false);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => handler.RunAsync(execution, default));
        Assert.Contains("fewer than two domains", refused.Message, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<DomainListItem>> DomainsAsync() => await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);

    private async Task WithdrawAsync(string partnerSlug, Guid domainId, bool similarity)
    {
        var saved = await _host.Get<IDomainService>().SetConsentAsync(PortalHost.PartnerAdmin(partnerSlug), domainId, new DomainConsent(Similarity: similarity, Training: false), default);
        Assert.True(saved);
    }
}
