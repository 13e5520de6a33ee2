using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Similarity;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using FTLPortal.Learning.Serialization;

namespace FTLPortal.Infrastructure.Tests.Jobs;

public sealed class JobPipelineTests
{
    private static async Task<IReadOnlyList<DomainListItem>> DomainsAsync(PortalHost host) => await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);

    [Fact]
    public async Task SimilarityJob_ProducesMatrixThatSeesTheKnownShifts_WhenRunOverDemoDomains()
    {
        await using var host = await PortalHost.StartAsync();
        var domains = await DomainsAsync(host);
        var request = await host.Get<IJobService>().RequestSimilarityAsync(PortalHost.Scientist, new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() }, default);
        Assert.True(request.Succeeded, request.Error);

        var job = await host.WaitForAsync(request.Job!.Id);
        Assert.Equal(JobStatus.Completed, job.Status);
        var result = JsonSerializer.Deserialize<SimilarityResult>(job.ResultJson!)!;
        Assert.Equal(3, result.Mmd.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, result.Mmd[i][i]!.Value, 9);
            Assert.Equal(0, result.LabelDistance[i][i]!.Value, 9);
        }

        // Contoso's domain is the northwind concept under a covariate shift: far in MMD, near in labels.
        var names = result.DomainNames.ToList();
        int Index(string name) => names.FindIndex(n => n.StartsWith(name, StringComparison.Ordinal));
        var (north, contoso, fabrikam) = (Index("northwind"), Index("contoso"), Index("fabrikam"));
        Assert.True(result.Mmd[north][contoso] > 0.1, $"MMD northwind-contoso {result.Mmd[north][contoso]}");
        Assert.True(result.LabelDistance[north][contoso] < result.LabelDistance[north][fabrikam]);
    }

    /// <summary>On PostgreSQL with Hangfire on PostgreSQL too: the steps are queued, fetched and chained through its storage.</summary>
    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task PretrainingThenFineTuning_WritesModelCardAndWeights_WithFrozenLayerUntouched(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var jobs = host.Get<IJobService>();
        var domains = await DomainsAsync(host);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var pretrain = await jobs.RequestPretrainingAsync(PortalHost.Scientist, new PretrainingParameters { SourceDomainId = source.Id, ModelName = "test-mlp", HiddenSizes = [16], Epochs = 5 }, default);
        Assert.True(pretrain.Succeeded, pretrain.Error);
        var pretrained = await host.WaitForAsync(pretrain.Job!.Id);
        Assert.Equal(JobStatus.Completed, pretrained.Status);

        var model = Assert.Single(await host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default));
        Assert.True(model.ValidationAccuracy > 0.6, $"base accuracy {model.ValidationAccuracy}");
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(model.LayersJson)!;
        Assert.Contains(layers, l => l.Name == "dense1" && l.ParameterCount > 0);

        var targets = domains.Where(d => d.Id != source.Id).Select(d => d.Id).ToList();
        var fineTune = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "ft-test", new FineTuningParameters { BaseModelId = model.Id, FrozenLayers = ["dense1"], TargetDomainIds = targets, Rounds = 2, LocalEpochs = 1 }, default);
        Assert.True(fineTune.Succeeded, fineTune.Error);
        var done = await host.WaitForAsync(fineTune.Job!.Id);
        Assert.True(done.Status == JobStatus.Completed, done.Error);
        Assert.Equal(2, done.CurrentRound);

        var rounds = await jobs.GetRoundsAsync(PortalHost.Scientist, done.Id, default);
        Assert.Equal(4, rounds.Count);
        Assert.All(rounds, r => Assert.InRange(r.ValidationAccuracy, 0, 1));

        var card = await host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, done.Id, default);
        Assert.NotNull(card);
        Assert.StartsWith("---\n", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("frozen_layers:\n  - dense1", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Contoso Clinics", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Labs", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("## Quantitative analyses", card.Markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(card.Json);
        Assert.Equal("dense1", json.RootElement.GetProperty("frozenLayers")[0].GetString());

        var artifacts = host.Get<IArtifactStore>();
        var fineTuned = SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(card.WeightsArtifact, default))!);
        var baseWeights = SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(model.WeightsArtifact, default))!);
        Assert.Equal(baseWeights["dense1.weight"].Data, fineTuned["dense1.weight"].Data);
        Assert.NotEqual(baseWeights["output.weight"].Data, fineTuned["output.weight"].Data);
        Assert.Equal(card.WeightsSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData((await artifacts.ReadAsync(card.WeightsArtifact, default))!)));
    }

    [Fact]
    public async Task RequestFineTuningAsync_Refuses_WhenEveryLayerIsFrozenOrLayerUnknown()
    {
        await using var host = await PortalHost.StartAsync();
        var jobs = host.Get<IJobService>();
        var domains = await DomainsAsync(host);
        var model = await host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
        var ids = domains.Select(d => d.Id).ToList();

        var allFrozen = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", new FineTuningParameters { BaseModelId = model.Id, FrozenLayers = ["dense1", "output"], TargetDomainIds = ids }, default);
        var unknown = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", new FineTuningParameters { BaseModelId = model.Id, FrozenLayers = ["conv9"], TargetDomainIds = ids }, default);
        var partner = await jobs.RequestFineTuningAsync(PortalHost.PartnerAdmin("contoso"), "x", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = ids }, default);

        Assert.Contains("leave at least one layer", allFrozen.Error, StringComparison.Ordinal);
        Assert.Contains("conv9", unknown.Error, StringComparison.Ordinal);
        Assert.False(partner.Succeeded);
    }

    /// <summary>On PostgreSQL the running step learns of the cancel through Hangfire's PostgreSQL storage.</summary>
    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task CancelAsync_StopsRunningFineTuning_AndRecordsCancelled(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var jobs = host.Get<IJobService>();
        var domains = await DomainsAsync(host);
        var model = await host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
        var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "long", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 200, LocalEpochs = 5 }, default);
        await host.WaitForAsync(request.Job!.Id, j => j.CurrentRound >= 1);

        Assert.True(await jobs.CancelAsync(PortalHost.Scientist, request.Job.Id, default));
        var job = await host.WaitForAsync(request.Job.Id);

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.True(job.CurrentRound < 200);
    }

    [Fact]
    public async Task FineTuning_DropsVanishedAgentAndCompletesWithTheOthers_WhenOnePartnerIsUnreachable()
    {
        await using var host = await PortalHost.StartAsync();
        var jobs = host.Get<IJobService>();
        var domains = await DomainsAsync(host);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var model = await host.PretrainAsync(source.Id, hiddenSize: 8, epochs: 2);
        var agents = host.Get<FTLPortal.Infrastructure.Agents.AgentDirectory>();
        var fabrikam = FTLPortal.Infrastructure.Seeding.DemoFederationSeeder.Partners.Single(p => p.Slug == "fabrikam");
        agents.Replace(fabrikam.Id, new VanishingAgent(agents.For(fabrikam.Id, fabrikam.Slug)));
        var events = new List<JobEvent>();
        using var subscription = host.Get<IJobNotifier>().Subscribe(null, e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });

        var request = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "one vanishes", new FineTuningParameters { BaseModelId = model.Id, FrozenLayers = ["dense1"], TargetDomainIds = domains.Where(d => d.Id != source.Id).Select(d => d.Id).ToList(), Rounds = 2, LocalEpochs = 1 }, default);
        var job = await host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var rounds = await jobs.GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        Assert.All(rounds.Where(r => r.PartnerName == "Fabrikam Labs"), r => Assert.True(r.Dropped));
        Assert.All(rounds.Where(r => r.PartnerName == "Contoso Clinics"), r => Assert.False(r.Dropped));
        var card = await host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.Contains("No final numbers for: Fabrikam Labs (agent unreachable", card!.Markdown, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Labs (2)", card.Markdown, StringComparison.Ordinal);
        lock (events)
        {
            Assert.Contains(events, e => e.JobId == job.Id && e.Kind == JobEventKind.ParticipantDropped && e.Message!.Contains("Fabrikam Labs", StringComparison.Ordinal));
        }
    }
}
