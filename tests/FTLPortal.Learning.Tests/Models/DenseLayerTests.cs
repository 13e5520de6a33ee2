using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Tests.Models;

public class DenseLayerTests
{
    private const int Rows = 5;
    private const int InputSize = 7;
    private const int OutputSize = 4;

    [Fact]
    public void Forward_ComputesXWTransposePlusBias_ForKnownValues()
    {
        var layer = new DenseLayer("d", 2, 2);
        float[] w = [1, 2, 3, 4]; // rows are outputs: [[1, 2], [3, 4]]
        w.CopyTo(layer.Weight.Data, 0);
        layer.Bias.Data[0] = 0.5f;
        layer.Bias.Data[1] = -1f;
        float[] x = [1, 1, 2, -1];
        var y = new float[4];

        layer.Forward(x, 2, y);

        Assert.Equal([3.5f, 6f, 0.5f, 1f], y);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForWeightsBiasAndInput()
    {
        var random = new Random(7);
        var layer = new DenseLayer("d", InputSize, OutputSize);
        layer.InitializeHeUniform(random);
        GradientCheck.RandomValues(random, OutputSize).CopyTo(layer.Bias.Data, 0);
        float[] input = GradientCheck.RandomValues(random, Rows * InputSize);

        LayerGradientCheck.Check(layer, input, Rows, random);
    }

    [Fact]
    public void Backward_LeavesParameterGradientsUntouched_WhenNotRequested()
    {
        var random = new Random(3);
        var layer = new DenseLayer("d", InputSize, OutputSize);
        layer.InitializeHeUniform(random);
        Array.Fill(layer.WeightGradient, 42f);
        float[] input = GradientCheck.RandomValues(random, Rows * InputSize);
        float[] outputGradient = GradientCheck.RandomValues(random, Rows * OutputSize);
        var inputGradient = new float[Rows * InputSize];

        layer.Backward(input, outputGradient, Rows, inputGradient, computeParameterGradients: false);

        Assert.All(layer.WeightGradient, g => Assert.Equal(42f, g));
        Assert.Contains(inputGradient, g => g != 0f);
    }

    [Fact]
    public void InitializeHeUniform_DrawsWithinBound_AndZeroesBias()
    {
        var layer = new DenseLayer("d", 24, 10);
        Array.Fill(layer.Bias.Data, 3f);

        layer.InitializeHeUniform(new Random(1));

        double bound = Math.Sqrt(6.0 / 24);
        Assert.All(layer.Weight.Data, w => Assert.InRange(Math.Abs(w), 0, bound));
        Assert.True(layer.Weight.Data.Max() > bound / 2, "weights should spread over the interval");
        Assert.All(layer.Bias.Data, b => Assert.Equal(0f, b));
    }
}
