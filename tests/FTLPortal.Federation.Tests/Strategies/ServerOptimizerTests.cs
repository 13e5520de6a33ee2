using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Strategies;

public class ServerOptimizerTests
{
    private static WeightSet One(float value) => new() { new NamedTensor("layer.weight", [1], [value]) };

    private static ClientUpdate[] Updates(params (float Value, int Samples)[] updates) =>
        updates.Select((u, i) => new ClientUpdate($"p{i}", u.Samples, One(u.Value))).ToArray();

    [Fact]
    public void Aggregate_AddsMomentumToPseudoGradient_WhenFedAvgMRunsTwoRounds()
    {
        var strategy = new FederatedAveragingWithMomentum(momentum: 0.5f, serverLearningRate: 1f);

        // Round 1: sample-weighted mean (1·1 + 3·(8/3)) / 4 = 2.25 from w = 0, so Δ = 2.25, m = 2.25, w = 2.25.
        WeightSet first = strategy.Aggregate(One(0f), Updates((1f, 1), (8f / 3f, 3)));
        Assert.Equal(2.25f, first["layer.weight"].Data[0], 1e-5f);

        // Round 2: mean 3.25, Δ = 1, m = 0.5·2.25 + 1 = 2.125, w = 2.25 + 2.125 = 4.375.
        WeightSet second = strategy.Aggregate(first, Updates((3.25f, 2), (3.25f, 2)));
        Assert.Equal(4.375f, second["layer.weight"].Data[0], 1e-5f);
    }

    [Theory]
    // η = 0.1, β₁ = 0.9, β₂ = 0.99, τ = 0.1, Δ = 1, v₀ = τ² = 0.01, m = 0.1 (by hand):
    [InlineData(AdaptiveServerOptimizer.Adagrad, 0.00904988)] // v = 0.01 + 1 = 1.01; 0.1·0.1 / (√1.01 + 0.1)
    [InlineData(AdaptiveServerOptimizer.Adam, 0.04148218)] // v = 0.99·0.01 + 0.01·1 = 0.0199; 0.01 / (√0.0199 + 0.1)
    [InlineData(AdaptiveServerOptimizer.Yogi, 0.04142136)] // v = 0.01 - 0.01·1·sign(0.01 - 1) = 0.02; 0.01 / (√0.02 + 0.1)
    public void Aggregate_TakesReddiStep_WhenAdaptiveOptimizerSeesUnitPseudoGradient(AdaptiveServerOptimizer optimizer, double expected)
    {
        var strategy = new FederatedAdaptiveOptimization(optimizer, serverLearningRate: 0.1f, beta1: 0.9f, beta2: 0.99f, tau: 0.1f);

        WeightSet next = strategy.Aggregate(One(5f), Updates((6f, 1), (6f, 1)));

        Assert.Equal(5 + expected, next["layer.weight"].Data[0], 1e-5);
    }

    [Theory]
    [InlineData(AdaptiveServerOptimizer.Adagrad)]
    [InlineData(AdaptiveServerOptimizer.Adam)]
    [InlineData(AdaptiveServerOptimizer.Yogi)]
    public void ImportState_ContinuesBitForBit_WhenResumedFromExportedState(AdaptiveServerOptimizer optimizer)
    {
        var straight = new FederatedAdaptiveOptimization(optimizer);
        WeightSet w = One(0f);
        float[] rounds = [0.5f, -0.2f, 0.7f, 0.1f];
        WeightSet resumed = w;
        byte[]? saved = null;
        for (int r = 0; r < rounds.Length; r++)
        {
            w = straight.Aggregate(w, Updates((w["layer.weight"].Data[0] + rounds[r], 3), (w["layer.weight"].Data[0] - rounds[r], 1)));
            if (r == 1)
            {
                saved = straight.ExportState();
                resumed = w;
            }
        }

        var restarted = new FederatedAdaptiveOptimization(optimizer);
        restarted.ImportState(saved);
        for (int r = 2; r < rounds.Length; r++)
        {
            resumed = restarted.Aggregate(resumed, Updates((resumed["layer.weight"].Data[0] + rounds[r], 3), (resumed["layer.weight"].Data[0] - rounds[r], 1)));
        }

        Assert.Equal(w.Sha256(), resumed.Sha256());
        Assert.Equal(straight.Steps, restarted.Steps);
    }

    [Fact]
    public void ImportState_Throws_WhenStateBelongsToAnotherStrategy()
    {
        var adam = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam);
        adam.Aggregate(One(0f), Updates((1f, 1)));

        var yogi = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Yogi);
        ArgumentException error = Assert.Throws<ArgumentException>(() => yogi.ImportState(adam.ExportState()));
        Assert.Contains("fedadam", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyMean_EqualsAggregate_WhenGivenTheWeightedMean()
    {
        var viaUpdates = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam, serverLearningRate: 0.5f);
        var viaMean = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam, serverLearningRate: 0.5f);

        WeightSet a = viaUpdates.Aggregate(One(1f), Updates((2f, 1), (4f, 3)));
        WeightSet b = viaMean.ApplyMean(One(1f), One(3.5f));

        Assert.Equal(a.Sha256(), b.Sha256());
    }

    [Fact]
    public void Aggregate_KeepsUncarriedTensors_WhenUpdatesLackFrozenLayer()
    {
        var current = new WeightSet { new NamedTensor("frozen.weight", [2], [7f, 8f]), new NamedTensor("head.weight", [1], [0f]) };
        var update = new ClientUpdate("p", 1, new WeightSet { new NamedTensor("head.weight", [1], [1f]) });

        WeightSet next = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Yogi).Aggregate(current, [update]);

        Assert.Equal([7f, 8f], next["frozen.weight"].Data);
        Assert.NotEqual(0f, next["head.weight"].Data[0]);
    }
}
