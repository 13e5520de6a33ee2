using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Rounds;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Seeding;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Fine-tuning jobs with the federation settings of issue 8, run for real on the demo federation.</summary>
public sealed class FederationJobTests : IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuningJob_RoundStepsEqualOneUninterruptedRun_WithFedAdamDifferentialPrivacyAndInt8()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 16, epochs: 2);
        const int rounds = 3;
        var federation = new FederationSettings
        {
            Strategy = AggregationStrategyKind.FedAdam,
            ServerLearningRate = 0.05,
            Privacy = new DifferentialPrivacySettings { NoiseMultiplier = 0.8, ClipNorm = 0.5, AdaptiveClipping = true, Delta = 1e-5 },
            UpdateEncoding = UpdateEncodingKind.ScaledByte,
        };
        var parameters = new FineTuningParameters { BaseModelId = model.Id, FrozenLayers = ["dense1"], TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = rounds, LocalEpochs = 1, Federation = federation };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "fedadam dp int8", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);

        // Each round ran as its own step from the previous checkpoint and server state (moments, clip bound) and the
        // job's noise seed; one trainer running all rounds in one go must reach the same weights, bit for bit.
        var artifacts = _host.Get<IArtifactStore>();
        var baseWeights = (await artifacts.ReadAsync(model.WeightsArtifact, default))!;
        var noiseSeed = await new FederationJobState(artifacts, job.Id).NoiseSeedAsync(default);
        var agents = _host.Get<AgentDirectory>();
        var participants = domains.Select(d =>
        {
            var partner = DemoFederationSeeder.Partners.Single(p => p.Id == d.PartnerId);
            return new Participant(partner.Id.ToString(), d.Id.ToString(), agents.For(partner.Id, partner.Slug));
        }).ToList();
        var plan = FederationOptionsMapper.Apply(
            new FineTuningPlan
            {
                ArchitectureJson = model.ArchitectureJson,
                InitialWeights = baseWeights,
                FrozenLayers = parameters.FrozenLayers,
                Rounds = rounds,
                Local = new TrainingOptions { Epochs = 1, BatchSize = parameters.BatchSize, LearningRate = (float)parameters.LearningRate, Optimizer = OptimizerKind.Adam, Seed = parameters.Seed, FrozenLayers = parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal) },
                Participants = participants,
                ValidationFraction = 0.2,
                SplitSeed = parameters.Seed,
            },
            federation,
            System.Text.Json.JsonSerializer.Deserialize<List<FTLPortal.Core.BaseModels.ModelLayer>>(model.LayersJson)!,
            parameters.Seed);
        var uninterrupted = await new FederatedTrainer(FederationOptionsMapper.TrainerOptions(federation, TimeSpan.FromMinutes(5), evaluateFinalModel: false, noiseSeed)).RunAsync(plan);
        var stepped = (await artifacts.ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, rounds), default))!;
        Assert.Equal(uninterrupted.FinalWeights.Sha256(), FTLPortal.Learning.Serialization.SafeTensorsFormat.FromBytes(stepped).Sha256());

        var metrics = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        Assert.All(metrics, m => Assert.False(m.Dropped, m.DropReason));
        // ε after each round, growing with the rounds and equal to the uninterrupted run's accountant.
        var epsilons = metrics.GroupBy(m => m.Round).OrderBy(g => g.Key).Select(g => g.Select(m => m.Epsilon).Distinct().Single()!.Value).ToList();
        Assert.Equal(uninterrupted.Rounds.Select(r => r.Epsilon!.Value), epsilons);
        Assert.True(epsilons[0] < epsilons[1] && epsilons[1] < epsilons[2], string.Join(", ", epsilons));
        // int8 updates of the trainable layers travel in fewer bytes than the float32 model sent out.
        Assert.All(metrics, m => Assert.InRange(m.BytesFromPartner, 1, m.BytesToPartner - 1));

        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.NotNull(card);
        Assert.Contains("FedAdam (η = 0.05)", card.Markdown, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"final ε = {epsilons[^1]:G4}"), card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Update encoding: int8", card.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTuningJob_KeepsEachPartnersHead_WithFedRep()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 16, epochs: 2);
        var federation = new FederationSettings { Personalization = PersonalizationKind.FedRep, HeadEpochs = 1, MinParticipants = 2, SecureAggregation = true };
        var parameters = new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 2, LocalEpochs = 1, Federation = federation };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "fedrep secagg", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);

        // The head never leaves the partners: the global model's head is still the base model's.
        var artifacts = _host.Get<IArtifactStore>();
        var baseSet = FTLPortal.Learning.Serialization.SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(model.WeightsArtifact, default))!);
        var final = FTLPortal.Learning.Serialization.SafeTensorsFormat.FromBytes((await artifacts.ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, 2), default))!);
        var headTensors = baseSet.Names.Where(n => n.StartsWith("output", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(headTensors);
        Assert.All(headTensors, n => Assert.Equal(baseSet[n].Data, final[n].Data));
        Assert.Contains(final.Names, n => !n.StartsWith("output", StringComparison.Ordinal) && !baseSet[n].Data.SequenceEqual(final[n].Data));

        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.Contains("Personalization: FedRep (kept by each partner, never sent: output)", card!.Markdown, StringComparison.Ordinal);
        Assert.Contains("Secure aggregation: on (each partner's agent masked its own update", card.Markdown, StringComparison.Ordinal);

        // The traffic counts the real protocol: each partner sent a masked vector of 8 bytes per shared value (plus its
        // sample count), its keys, sealed shares and unmasking shares; a plain float32 update would be half that.
        long sharedValues = baseSet.Where(t => !t.Name.StartsWith("output", StringComparison.Ordinal)).Sum(t => (long)t.Data.Length);
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        Assert.NotEmpty(rounds);
        Assert.All(rounds, m => Assert.True(m.BytesFromPartner > 8 * (sharedValues + 1), $"round {m.Round}: {m.BytesFromPartner} bytes from the partner"));
    }

    [Fact]
    public async Task FineTuningJob_CompletesWithDistributedPrivacy_WhenSecureAggregationAndDpAreOn()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
        var federation = new FederationSettings { SecureAggregation = true, MinParticipants = 2, Privacy = new DifferentialPrivacySettings { NoiseMultiplier = 1.0, ClipNorm = 1.0 } };
        var parameters = new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 2, LocalEpochs = 1, Federation = federation };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "secagg dp", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var metrics = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        var second = FTLPortal.Federation.Privacy.RdpAccountant.GetEpsilon(1.0, 1.0, 2, 1e-5).Epsilon;
        Assert.Contains(metrics, m => m.Round == 2 && Math.Abs(m.Epsilon!.Value - second) < 1e-9);
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.Contains("distributed: each agent clipped and noised its own update", card!.Markdown, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"final ε = {second:G4}"), card.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTuningJob_StopsTrainingBeforeTheEpsilonBudgetIsExceeded_AndCompletesWithTheLastModelWithinIt()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
        // Every partner trains each round (q = 1): a budget between round 1's ε and round 2's allows exactly one round.
        var first = FTLPortal.Federation.Privacy.RdpAccountant.GetEpsilon(1.0, 1.0, 1, 1e-5).Epsilon;
        var second = FTLPortal.Federation.Privacy.RdpAccountant.GetEpsilon(1.0, 1.0, 2, 1e-5).Epsilon;
        var federation = new FederationSettings { Privacy = new DifferentialPrivacySettings { NoiseMultiplier = 1.0, ClipNorm = 1.0, EpsilonBudget = (first + second) / 2 } };
        var parameters = new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Rounds = 3, LocalEpochs = 1, Federation = federation };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "budget", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        Assert.Equal(3, job.CurrentRound);
        var metrics = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        Assert.Equal([1], metrics.Select(m => m.Round).Distinct());
        Assert.All(metrics, m => Assert.Equal(first, m.Epsilon!.Value, 12));
        var artifacts = _host.Get<IArtifactStore>();
        Assert.Equal(await artifacts.ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, 1), default), await artifacts.ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, 3), default));
        var card = await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default);
        Assert.Contains(FormattableString.Invariant($"final ε = {first:G4}"), card!.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestFineTuningAsync_RefusesRobustStrategyWithSecureAggregation_AndStoresNothing()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 8, epochs: 1);
        var jobs = _host.Get<IJobService>();
        var before = (await jobs.ListAsync(PortalHost.Scientist, JobKind.FineTuning, default)).Count;
        var federation = new FederationSettings { Strategy = AggregationStrategyKind.Median, SecureAggregation = true, MinParticipants = 2 };
        var result = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Select(d => d.Id).ToList(), Federation = federation }, default);

        Assert.False(result.Succeeded);
        Assert.Contains("exclude each other", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await jobs.ListAsync(PortalHost.Scientist, JobKind.FineTuning, default)).Count);
    }
}
