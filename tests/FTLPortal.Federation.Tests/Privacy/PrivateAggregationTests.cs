using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Privacy;

public class PrivateAggregationTests
{
    private static WeightSet Vector(params float[] values) => new() { new NamedTensor("layer.weight", [values.Length], values) };

    [Fact]
    public void NoisedMean_ClipsEachChange_WhenNoiseIsZero()
    {
        // Changes (3, 4) (norm 5, clipped to norm 1: (0.6, 0.8)) and (0.3, 0) (kept); mean (0.45, 0.4) from w = (1, 1).
        var aggregation = new PrivateAggregation(new DifferentialPrivacyOptions { NoiseMultiplier = 0, ClipNorm = 1 });
        ClientUpdate[] updates = [new("a", 5, Vector(4, 5)), new("b", 50, Vector(1.3f, 1))];

        WeightSet mean = aggregation.NoisedMean(Vector(1, 1), updates);

        Assert.Equal(1.45f, mean["layer.weight"].Data[0], 1e-6f);
        Assert.Equal(1.4f, mean["layer.weight"].Data[1], 1e-6f);
        Assert.Equal(1, aggregation.LastUnclippedCount);
    }

    [Fact]
    public void NoisedMean_AddsNoiseOfStandardDeviationZTimesClipOverN_WhenNoised()
    {
        const int Length = 20_000;
        var aggregation = new PrivateAggregation(new DifferentialPrivacyOptions { NoiseMultiplier = 2, ClipNorm = 0.5, NoiseSeed = 3 });
        var zero = Vector(new float[Length]);
        ClientUpdate[] updates = [new("a", 1, Vector(new float[Length])), new("b", 1, Vector(new float[Length]))];

        float[] mean = aggregation.NoisedMean(zero, updates)["layer.weight"].Data;

        // Expected standard deviation: z·C / n = 2·0.5 / 2 = 0.5.
        double sd = Math.Sqrt(mean.Select(v => (double)v * v).Average());
        Assert.InRange(sd, 0.49, 0.51);
        Assert.InRange(mean.Average(v => (double)v), -0.01, 0.01);
    }

    [Fact]
    public void NoisedMean_MovesClipTowardsQuantile_WhenAdaptive()
    {
        var options = new DifferentialPrivacyOptions
        {
            NoiseMultiplier = 0, ClipNorm = 1, AdaptiveClipping = true, TargetQuantile = 0.5, ClipLearningRate = 0.2, CountNoiseStandardDeviation = 0,
        };
        var aggregation = new PrivateAggregation(options);
        ClientUpdate[] small = [new("a", 1, Vector(0.1f)), new("b", 1, Vector(0.2f))];

        aggregation.NoisedMean(Vector(0f), small);

        // Every update unclipped: b̃ = 1, C ← 1·exp(-0.2·(1 - 0.5)) = e^-0.1 (by hand).
        Assert.Equal(Math.Exp(-0.1), aggregation.ClipNorm, 1e-12);
    }

    [Fact]
    public void Validate_Throws_WhenCountNoiseLeavesNoBudget()
    {
        var options = new DifferentialPrivacyOptions { NoiseMultiplier = 1, AdaptiveClipping = true, CountNoiseStandardDeviation = 0.4 };

        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("σ_b", error.Message, StringComparison.Ordinal);

        // (z⁻² - (2σ_b)⁻²)^(-1/2) with z = 1, σ_b = 1: (1 - 0.25)^(-1/2).
        Assert.Equal(1 / Math.Sqrt(0.75), (options with { CountNoiseStandardDeviation = 1 }).UpdateNoiseMultiplier, 12);
    }
}
