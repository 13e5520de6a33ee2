using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>Secure aggregation inside the trainer's round loop.</summary>
public sealed class SecureRoundLoopTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ReachesFedAvgsWeightsThroughTheMaskedSum_WhenSecureAggregationIsOn()
    {
        var participants = new List<Participant>();
        foreach (int seed in new[] { 51, 52, 53 })
        {
            var agent = new InProcessAgent($"p{seed}", _temp.Sub($"p{seed}"));
            await agent.RegisterDomainAsync("d", TestData.ToCsv(TestData.Synthetic(rows: 120 + seed, features: 4, classes: 3, seed: seed)), "label", new SummaryOptions { EmbeddingDimension = 16 }, CancellationToken.None);
            participants.Add(new Participant($"p{seed}", "d", agent));
        }

        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 3, seed: 9);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 2,
            Local = new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.05f, Seed = 4 },
            Participants = participants,
        };

        FederatedRunResult plain = await new FederatedTrainer(new FederatedTrainerOptions { EvaluateFinalModel = false }).RunAsync(plan);
        FederatedRunResult secure = await new FederatedTrainer(new FederatedTrainerOptions { EvaluateFinalModel = false, SecureAggregation = true }).RunAsync(plan);

        // Same local training, same sample-weighted mean: only the fixed-point rounding of the masked sum differs.
        foreach (NamedTensor tensor in plain.FinalWeights)
        {
            float[] other = secure.FinalWeights[tensor.Name].Data;
            Assert.All(tensor.Data.Select((v, i) => Math.Abs(v - other[i])), d => Assert.True(d < 1e-4, $"{tensor.Name} differs by {d}"));
        }

        Assert.NotEqual(initial.Sha256(), secure.FinalWeights.Sha256());
        Assert.All(secure.Rounds, r => Assert.True(r.SecureAggregationBytes > 0 && r.TotalBytes > r.SecureAggregationBytes));
        Assert.All(plain.Rounds, r => Assert.Equal(0, r.SecureAggregationBytes));
    }

    [Fact]
    public void Constructor_RefusesARobustStrategy_WithSecureAggregation()
    {
        var error = Assert.Throws<ArgumentException>(() => new FederatedTrainer(new FederatedTrainerOptions { Strategy = new Krum(0), SecureAggregation = true }));

        Assert.Contains("exclude each other", error.Message, StringComparison.Ordinal);
    }
}
