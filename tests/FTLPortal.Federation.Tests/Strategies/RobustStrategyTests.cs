using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Strategies;

public class RobustStrategyTests
{
    private static ClientUpdate Update(string id, params float[] values) =>
        new(id, 10, new WeightSet { new NamedTensor("layer.weight", [values.Length], values) });

    private static WeightSet Zero(int length) => new() { new NamedTensor("layer.weight", [length], new float[length]) };

    [Fact]
    public void Aggregate_ReturnsCoordinateMedian_WhenOddAndEvenCounts()
    {
        WeightSet odd = new CoordinateWiseMedian().Aggregate(Zero(2), [Update("a", 1, 9), Update("b", 5, -1), Update("c", 3, 4)]);
        Assert.Equal([3f, 4f], odd["layer.weight"].Data);

        WeightSet even = new CoordinateWiseMedian().Aggregate(Zero(1), [Update("a", 1), Update("b", 2), Update("c", 3), Update("d", 10)]);
        Assert.Equal([2.5f], even["layer.weight"].Data);
    }

    [Fact]
    public void Aggregate_DropsExtremes_WhenTrimmedMeanOfFive()
    {
        // β = 0.2 of 5 cuts one value at each end: mean(2, 3, 4) = 3 and mean(-1, 0, 1) = 0.
        WeightSet result = new TrimmedMean(0.2).Aggregate(
            Zero(2), [Update("a", 1, 0), Update("b", 2, -1), Update("c", 3, 50), Update("d", 4, 1), Update("e", 100, -9)]);

        Assert.Equal([3f, 0f], result["layer.weight"].Data);
    }

    [Fact]
    public void Aggregate_PicksLowestScore_WhenKrumAndMultiKrum()
    {
        // n = 5, f = 1: scores over the n - f - 2 = 2 nearest, by hand: 0 → 0.01 + 0.01, 0.1 → 0.01 + 0.01,
        // 0.2 → 0.01 + 0.04, -0.1 → 0.01 + 0.04, 10 → 96.04 + 98.01.
        ClientUpdate[] updates = [Update("a", 0f), Update("b", 0.1f), Update("c", 0.2f), Update("d", -0.1f), Update("e", 10f)];

        var krum = new Krum(byzantine: 1);
        WeightSet single = krum.Aggregate(Zero(1), updates);
        Assert.Equal(["a"], krum.LastSelection);
        Assert.Equal(0f, single["layer.weight"].Data[0]);

        var multi = new Krum(byzantine: 1, selected: 3);
        WeightSet averaged = multi.Aggregate(Zero(1), updates);
        Assert.Equal(["a", "b", "c"], multi.LastSelection);
        Assert.Equal(0.1f, averaged["layer.weight"].Data[0], 1e-6f);
    }

    [Fact]
    public void Aggregate_Throws_WhenKrumHasTooFewUpdates()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => new Krum(byzantine: 1).Aggregate(Zero(1), [Update("a", 0f), Update("b", 1f), Update("c", 2f)]));
        Assert.Contains("at least 4 updates", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Attacks => new()
    {
        { "median", "scaled" }, { "median", "flipped" },
        { "trimmed-mean", "scaled" }, { "trimmed-mean", "flipped" },
        { "krum", "scaled" }, { "krum", "flipped" },
        { "multi-krum", "scaled" }, { "multi-krum", "flipped" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Aggregate_StaysNearHonestUpdates_WhenOnePartnerIsMalicious(string name, string attack)
    {
        // Four honest partners move every coordinate by about +1; the fifth sends 50× that, or its sign flipped ×50.
        const int Length = 64;
        var honest = Enumerable.Range(0, 4).Select(p => Update($"h{p}", Enumerable.Range(0, Length).Select(i => 1f + (0.05f * (((i + p) % 5) - 2))).ToArray())).ToList();
        float factor = attack == "scaled" ? 50f : -50f;
        ClientUpdate malicious = Update("evil", Enumerable.Repeat(factor, Length).ToArray());
        var all = honest.Append(malicious).ToList();
        IAggregationStrategy robust = name switch
        {
            "median" => new CoordinateWiseMedian(),
            "trimmed-mean" => new TrimmedMean(0.2),
            "krum" => new Krum(byzantine: 1),
            _ => new Krum(byzantine: 1, selected: 3),
        };

        float[] plain = new FederatedAveraging().Aggregate(Zero(Length), all)["layer.weight"].Data;
        float[] guarded = robust.Aggregate(Zero(Length), all)["layer.weight"].Data;

        // FedAvg is pulled to (4·1 ± 50) / 5: off by about 10 per coordinate; the robust rule stays within the honest spread.
        Assert.All(plain, v => Assert.True(Math.Abs(v - 1f) > 5f, $"FedAvg at {v}"));
        Assert.All(guarded, v => Assert.InRange(v, 0.89f, 1.11f));
        Assert.True(robust.RequiresIndividualUpdates);
    }
}
