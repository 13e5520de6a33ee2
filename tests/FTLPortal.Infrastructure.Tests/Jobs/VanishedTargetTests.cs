using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Seeding;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>A job whose target dropped out still writes its model card, covering the partners that finished.</summary>
public sealed class VanishedTargetTests : IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuning_WritesModelCardForPartnersThatFinished_WhenTargetVanishesAfterFirstRound()
    {
        var (domains, model) = await PrepareAsync();
        var fabrikam = DemoFederationSeeder.Partners.Single(p => p.Slug == "fabrikam");
        var agents = _host.Get<AgentDirectory>();
        var healthy = agents.For(fabrikam.Id, fabrikam.Slug);
        Guid jobId = Guid.Empty;
        using var subscription = _host.Get<IJobNotifier>().Subscribe(null, e =>
        {
            // The partner's site goes away once the first round is recorded: it took part, then dropped out.
            if (e.JobId == jobId && e.Kind == JobEventKind.RoundCompleted && e.Round == 1)
            {
                agents.Replace(fabrikam.Id, new VanishingAgent(healthy));
            }

            return Task.CompletedTask;
        });
        _host.SlowDownLocalTraining(TimeSpan.FromMilliseconds(200));

        // The vanishing partner first, so nothing may take "the first target" for granted.
        var targets = domains.OrderBy(d => d.Name.StartsWith("fabrikam", StringComparison.Ordinal) ? 0 : 1).Select(d => d.Id).ToList();
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "target vanishes", new FineTuningParameters { BaseModelId = model, TargetDomainIds = targets, Rounds = 3, LocalEpochs = 1 }, default);
        jobId = request.Job!.Id;
        var job = await _host.WaitForAsync(jobId);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, jobId, default);
        Assert.Contains(rounds, r => r.PartnerName == "Fabrikam Labs" && r.Round == 1 && !r.Dropped);
        Assert.Contains(rounds, r => r.PartnerName == "Fabrikam Labs" && r.Round == 3 && r.Dropped);
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, jobId, default);
        Assert.NotNull(card);
        Assert.Contains("Contoso Clinics", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Northwind Health", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("No final numbers for: Fabrikam Labs", card.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTuning_WritesModelCardForOtherPartners_WhenFirstTargetIsUnreachableFromTheStart()
    {
        var (domains, model) = await PrepareAsync();
        var fabrikam = DemoFederationSeeder.Partners.Single(p => p.Slug == "fabrikam");
        var agents = _host.Get<AgentDirectory>();
        agents.Replace(fabrikam.Id, new VanishingAgent(agents.For(fabrikam.Id, fabrikam.Slug)));

        var targets = domains.OrderBy(d => d.Name.StartsWith("fabrikam", StringComparison.Ordinal) ? 0 : 1).Select(d => d.Id).ToList();
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "first target gone", new FineTuningParameters { BaseModelId = model, TargetDomainIds = targets, Rounds = 2, LocalEpochs = 1 }, default);
        var job = await _host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.NotNull(card);
        Assert.Contains("No final numbers for: Fabrikam Labs", card.Markdown, StringComparison.Ordinal);
    }

    private async Task<(IReadOnlyList<DomainListItem> Domains, Guid Model)> PrepareAsync()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var model = await _host.PretrainAsync(source.Id, hiddenSize: 8, epochs: 1);
        return (domains, model.Id);
    }
}
