using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Tests.Tensors;

public class SoftmaxTests
{
    [Fact]
    public void Apply_StaysFinite_ForHugeLogits()
    {
        var probabilities = new float[3];

        Softmax.Apply([1000f, 999f, -1000f], probabilities);

        float expected = 1f / (1f + MathF.Exp(-1f));
        Assert.Equal(expected, probabilities[0], 1e-6f);
        Assert.Equal(1f - expected, probabilities[1], 1e-6f);
        Assert.Equal(0f, probabilities[2]);
    }

    [Fact]
    public void Apply_MatchesTheDefinition_ForOrdinaryLogits()
    {
        var probabilities = new float[3];

        Softmax.Apply([0.5f, -1f, 2f], probabilities);

        double normalizer = Math.Exp(0.5) + Math.Exp(-1) + Math.Exp(2);
        Assert.Equal(Math.Exp(0.5) / normalizer, probabilities[0], 1e-6);
        Assert.Equal(Math.Exp(-1) / normalizer, probabilities[1], 1e-6);
        Assert.Equal(Math.Exp(2) / normalizer, probabilities[2], 1e-6);
    }
}
