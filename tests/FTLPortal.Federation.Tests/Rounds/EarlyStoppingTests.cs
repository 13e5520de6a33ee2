using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

public sealed class EarlyStoppingTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static RoundSummary Round(int round, double globalLoss) =>
        new(round, [], [], 0, 0, "sha") { GlobalValidationLoss = globalLoss };

    [Fact]
    public void ValidationLossTrend_FindsTheBestRoundAndTheRisingStreak()
    {
        RoundSummary[] rounds = [Round(1, 0.9), Round(2, 0.6), Round(3, 0.7), Round(4, 0.8), Round(5, 0.85)];

        Assert.Equal(2, ValidationLossTrend.BestRound(rounds));
        Assert.Equal(3, ValidationLossTrend.RisingRounds(rounds));
        Assert.True(ValidationLossTrend.IsOverfitting(rounds));
        Assert.True(ValidationLossTrend.ShouldStop(rounds, 3));
        Assert.False(ValidationLossTrend.ShouldStop(rounds, 4));
        Assert.False(ValidationLossTrend.ShouldStop(rounds, 0));
        Assert.False(ValidationLossTrend.IsOverfitting(rounds[..3]));
        Assert.Null(ValidationLossTrend.BestRound([Round(1, double.NaN)]));
    }

    [Fact]
    public async Task RunAsync_StopsAndReturnsTheBestRoundsWeights_WhenTheGlobalValidationLossStopsImproving()
    {
        var participants = new List<Participant>();
        foreach ((string partner, int seed) in new[] { ("a", 1), ("b", 2) })
        {
            var agent = new InProcessAgent(partner, _temp.Sub(partner));
            using MemoryStream csv = TestData.ToCsv(TestData.Noise(120, seed, features: 4));
            await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
            participants.Add(new Participant(partner, "d", agent));
        }

        ModelArchitecture architecture = ModelArchitecture.Mlp(4, [48], ["no", "yes"]);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(SequentialModel.Create(architecture, 3).GetWeights()),
            Rounds = 40,
            Local = new TrainingOptions { Epochs = 5, BatchSize = 8, LearningRate = 0.02f },
            Participants = participants,
            EarlyStoppingPatience = 3,
        };
        var checkpoints = new Dictionary<int, byte[]>();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, new CheckpointRecorder(checkpoints), CancellationToken.None);

        Assert.True(result.StoppedEarly is not null, $"ran {result.Rounds.Count} rounds");
        Assert.Contains("Early stopping", result.StoppedEarly, StringComparison.Ordinal);
        Assert.Equal(result.BestRound + 3, result.Rounds[^1].Round);
        Assert.Equal(ValidationLossTrend.BestRound(result.Rounds), result.BestRound);
        Assert.Equal(checkpoints[result.BestRound!.Value], result.FinalWeightsSafetensors);
        RoundSummary best = result.Rounds.Single(r => r.Round == result.BestRound);
        Assert.Equal(best.GlobalEvaluations, result.FinalEvaluations.Select(f => f with { Test = null }));
    }

    [Fact]
    public async Task PretrainAsync_TrainsLogisticRegressionWithABalancedLossAndEarlyStopping_WhenAsked()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 200, features: 3, classes: 2, seed: 6)))
        {
            await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        }

        var request = new PretrainRequest
        {
            DomainId = "d",
            HiddenSizes = [],
            Training = new TrainingOptions { Epochs = 200, BatchSize = 16, LearningRate = 0.05f, WeightDecay = 0.01f, BalanceClasses = true, EarlyStoppingPatience = 4 },
            ValidationFraction = 0.3,
        };
        var wire = System.Text.Json.JsonSerializer.Deserialize<PretrainRequest>(
            System.Text.Json.JsonSerializer.Serialize(request, FederationJson.Options), FederationJson.Options)!;

        PretrainResult result = await agent.PretrainAsync(wire, null, CancellationToken.None);

        Assert.Equal(["output"], ModelArchitecture.FromJson(result.ArchitectureJson).Layers.Select(l => l.Name));
        Assert.True(result.History.Epochs.Count < 200, "early stopping never stopped");
        Assert.All(result.History.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.Equal(result.History.Epochs.Min(e => e.ValidationLoss!.Value), result.Validation.Loss, 9);
        Assert.True(result.Test!.Report!.BalancedAccuracy.Value > 0.6, $"balanced accuracy {result.Test.Report.BalancedAccuracy.Value}");
    }

    private sealed class CheckpointRecorder(Dictionary<int, byte[]> checkpoints) : IFederationObserver
    {
        public void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors) =>
            checkpoints[summary.Round] = globalWeightsSafetensors.ToArray();
    }
}
