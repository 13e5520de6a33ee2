using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Compute_MatchesHandComputedLoss_ForOneRow()
    {
        var loss = new SoftmaxCrossEntropy(3);
        var gradient = new float[3];

        double value = loss.Compute([1f, 2f, 3f], [0], 1, gradient);

        double normalizer = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(-Math.Log(Math.Exp(1) / normalizer), value, 1e-6);
        Assert.Equal((Math.Exp(1) / normalizer) - 1, gradient[0], 1e-6);
        Assert.Equal(Math.Exp(3) / normalizer, gradient[2], 1e-6);
    }

    [Fact]
    public void Compute_StaysFinite_ForHugeLogits()
    {
        var loss = new SoftmaxCrossEntropy(2);
        var gradient = new float[4];

        double value = loss.Compute([1000f, -1000f, 1000f, -1000f], [0, 1], 2, gradient);

        Assert.Equal(1000.0, value, 1e-3); // row 1 costs 2000, row 0 costs 0: mean 1000
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(0.5f, gradient[2], 1e-6f); // row 1 puts all mass on the wrong class: (1 − 0) / 2
        Assert.Equal(-0.5f, gradient[3], 1e-6f); // and none on its label: (0 − 1) / 2
    }

    [Fact]
    public void Compute_GradientMatchesFiniteDifferences()
    {
        const int rows = 6;
        const int classes = 4;
        var random = new Random(2);
        float[] logits = GradientCheck.RandomValues(random, rows * classes, scale: 3);
        int[] labels = [0, 1, 2, 3, 1, 2];
        var loss = new SoftmaxCrossEntropy(classes);
        var gradient = new float[rows * classes];
        loss.Compute(logits, labels, rows, gradient);

        for (int i = 0; i < logits.Length; i++)
        {
            double numeric = GradientCheck.Numeric(logits, i, () => loss.Compute(logits, labels, rows, []));
            GradientCheck.AssertMatches(gradient[i], numeric, $"logit[{i}]");
        }
    }
}
