using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

/// <summary>FedBN on the partner side: local layers are trained and kept by the agent, never sent.</summary>
public sealed class InProcessAgentLocalLayersTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 8 };
    private static readonly string[] BatchNormTensors = ["bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.weight"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TrainLocalAsync_LeavesLocalBatchNormOutOfUpdate_WhenLayerKeepsStatisticsLocal()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();

        ModelUpdate update = await agent.TrainLocalAsync(Request(architecture, global, "run-1"), CancellationToken.None);

        Assert.Equal(["dense1.bias", "dense1.weight", "output.bias", "output.weight"], TestData.Weights(update.Weights).Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TrainLocalAsync_LeavesLocalBatchNormOutOfUpdate_WhenRunIdIsNull()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();

        ModelUpdate update = await agent.TrainLocalAsync(Request(architecture, global, runId: null), CancellationToken.None);

        Assert.Empty(TestData.Weights(update.Weights).Names.Intersect(BatchNormTensors));
        Assert.Equal(0, agent.LocalStateCount);
    }

    [Fact]
    public async Task TrainLocalAsync_SendsBatchNormWithRunningStatistics_WhenLayerIsShared()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp(localStatistics: false);

        ModelUpdate update = await agent.TrainLocalAsync(Request(architecture, global, "run-1"), CancellationToken.None);

        WeightSet sent = TestData.Weights(update.Weights);
        Assert.All(BatchNormTensors, name => Assert.True(sent.Contains(name), name));
        Assert.NotEqual(global["bn1.running_mean"].Data, sent["bn1.running_mean"].Data);
        Assert.Equal(0, agent.LocalStateCount);
    }

    [Fact]
    public async Task TrainLocalAsync_ContinuesFromKeptLocalLayers_WhenSameRunTrainsAgain()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();

        await agent.TrainLocalAsync(Request(architecture, global, "run-1", round: 1), CancellationToken.None);
        WeightSet afterRound1 = Assert.IsType<WeightSet>(agent.KeptLocalLayers("run-1", "d"));
        ModelUpdate continued = await agent.TrainLocalAsync(Request(architecture, global, "run-1", round: 2), CancellationToken.None);
        ModelUpdate fresh = await agent.TrainLocalAsync(Request(architecture, global, "run-2", round: 2), CancellationToken.None);
        WeightSet afterRound2 = Assert.IsType<WeightSet>(agent.KeptLocalLayers("run-1", "d"));
        WeightSet freshState = Assert.IsType<WeightSet>(agent.KeptLocalLayers("run-2", "d"));

        // Same global weights and seed: a run with no kept state trains exactly as run-1's first round did ...
        Assert.Equal(BatchNormTensors, afterRound1.Names.Order(StringComparer.Ordinal));
        Assert.All(afterRound1, t => Assert.Equal(t.Data, freshState[t.Name].Data));
        Assert.NotEqual(global["bn1.running_mean"].Data, afterRound1["bn1.running_mean"].Data);

        // ... while run-1's second round started from its kept batch norm, so it ends elsewhere and sends other weights.
        Assert.NotEqual(afterRound1["bn1.running_mean"].Data, afterRound2["bn1.running_mean"].Data);
        Assert.NotEqual(afterRound1["bn1.weight"].Data, afterRound2["bn1.weight"].Data);
        Assert.NotEqual(TestData.Weights(fresh.Weights).Sha256(), TestData.Weights(continued.Weights).Sha256());
        Assert.Equal(2, agent.LocalStateCount);
    }

    [Fact]
    public async Task EvaluateAsync_UsesKeptLocalLayers_WhenRunIdHasState()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();
        await agent.TrainLocalAsync(Request(architecture, global, "run-1"), CancellationToken.None);
        var request = new EvaluationRequest { DomainId = "d", ArchitectureJson = architecture.ToJson(), Weights = TestData.Bytes(global) };

        EvaluationResult plain = await agent.EvaluateAsync(request, CancellationToken.None);
        EvaluationResult unknownRun = await agent.EvaluateAsync(request with { RunId = "other" }, CancellationToken.None);
        EvaluationResult ownLayers = await agent.EvaluateAsync(request with { RunId = "run-1" }, CancellationToken.None);

        Assert.Equal(plain, unknownRun);
        Assert.NotEqual(plain.Loss, ownLayers.Loss);
    }

    [Fact]
    public async Task DeleteDomainAsync_ForgetsKeptLocalLayers_WhenDomainHadState()
    {
        InProcessAgent agent = await AgentWithDomain();
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();
        await agent.TrainLocalAsync(Request(architecture, global, "run-1"), CancellationToken.None);
        Assert.Equal(1, agent.LocalStateCount);

        await agent.DeleteDomainAsync("d", CancellationToken.None);

        Assert.Equal(0, agent.LocalStateCount);
        Assert.Null(agent.KeptLocalLayers("run-1", "d"));
    }

    [Fact]
    public async Task TrainLocalAsync_RestartsLocalLayersFromGlobal_WhenKeptStateOutlivedRetention()
    {
        var clock = new ManualClock();
        InProcessAgent agent = await AgentWithDomain(new InProcessAgentOptions { LocalStateRetention = TimeSpan.FromMinutes(10), TimeProvider = clock });
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();
        await agent.TrainLocalAsync(Request(architecture, global, "run-1", round: 1), CancellationToken.None);
        WeightSet afterRound1 = Assert.IsType<WeightSet>(agent.KeptLocalLayers("run-1", "d"));

        clock.Advance(TimeSpan.FromMinutes(11));
        await agent.TrainLocalAsync(Request(architecture, global, "run-1", round: 2), CancellationToken.None);

        // The expired state was not used: round 2 trained from the global batch norm, exactly as round 1 did.
        WeightSet afterRound2 = Assert.IsType<WeightSet>(agent.KeptLocalLayers("run-1", "d"));
        Assert.All(afterRound1, t => Assert.Equal(t.Data, afterRound2[t.Name].Data));
    }

    [Fact]
    public async Task TrainLocalAsync_KeepsAtMostConfiguredStates_WhenMoreRunsTrain()
    {
        InProcessAgent agent = await AgentWithDomain(new InProcessAgentOptions { MaxLocalStates = 2 });
        (ModelArchitecture architecture, WeightSet global) = TestData.LocalBatchNormMlp();

        foreach (string run in new[] { "r1", "r2", "r3" })
        {
            await agent.TrainLocalAsync(Request(architecture, global, run), CancellationToken.None);
        }

        Assert.Equal(2, agent.LocalStateCount);
        Assert.Null(agent.KeptLocalLayers("r1", "d"));
        Assert.NotNull(agent.KeptLocalLayers("r3", "d"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(60, 0)]
    public void Constructor_Throws_WhenLocalStateBoundsAreNotPositive(int retentionSeconds, int maxStates)
    {
        var options = new InProcessAgentOptions { LocalStateRetention = TimeSpan.FromSeconds(retentionSeconds), MaxLocalStates = maxStates };

        Assert.Throws<ArgumentException>(() => new InProcessAgent("acme", _temp.Path, options));
    }

    private async Task<InProcessAgent> AgentWithDomain(InProcessAgentOptions? options = null)
    {
        var agent = new InProcessAgent("acme", _temp.Sub(Guid.NewGuid().ToString("N")), options);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 160, features: 4, classes: 3, seed: 5, covariateShift: 1));
        await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        return agent;
    }

    private static LocalTrainingRequest Request(ModelArchitecture architecture, WeightSet global, string? runId, int round = 1) => new()
    {
        Round = round,
        DomainId = "d",
        ArchitectureJson = architecture.ToJson(),
        GlobalWeights = TestData.Bytes(global),
        Training = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.01f, Seed = 3 },
        SplitSeed = 1,
        RunId = runId,
    };
}
