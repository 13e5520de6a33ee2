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
        float[] projection = GradientCheck.RandomValues(random, rows * size);
        var output = new float[rows * size];
        double Loss()
        {
            layer.Forward(input, rows, output);
            double sum = 0;
            for (int i = 0; i < output.Length; i++)
            {
                sum += (double)projection[i] * output[i];
            }

            return sum;
        }

        var inputGradient = new float[rows * size];
        layer.Backward(input, projection, rows, inputGradient, computeParameterGradients: true);

        for (int i = 0; i < input.Length; i++)
        {
            GradientCheck.AssertMatches(inputGradient[i], GradientCheck.Numeric(input, i, Loss), $"input[{i}]");
        }

        Assert.Contains(inputGradient, g => g == 0f);
        Assert.Contains(inputGradient, g => g != 0f);
    }
}
