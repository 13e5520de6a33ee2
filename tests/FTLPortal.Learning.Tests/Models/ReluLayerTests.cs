using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Tests.Models;

public class ReluLayerTests
{
    [Fact]
    public void Forward_ZeroesNegativeValues_AndKeepsPositiveOnes()
    {
        var layer = new ReluLayer("r", 3);
        var output = new float[6];

        layer.Forward([-2f, 0f, 1.5f, 3f, -0.1f, 0.2f], 2, output);

        Assert.Equal([0f, 0f, 1.5f, 3f, 0f, 0.2f], output);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_AwayFromTheKink()
    {
        const int rows = 4;
        const int size = 6;
        var random = new Random(11);
        var layer = new ReluLayer("r", size);

        // Keep every input at least 0.1 from zero so ±ε never crosses the kink.
        float[] input = GradientCheck.RandomValues(random, rows * size)
            .Select(v => v >= 0 ? v + 0.1f : v - 0.1f).ToArray();

        // Inputs on both sides of the kink, so both the pass-through and the zeroed branch of the derivative are checked.
        Assert.Contains(input, x => x < 0f);
        Assert.Contains(input, x => x > 0f);
        LayerGradientCheck.Check(layer, input, rows, random);
    }
}
