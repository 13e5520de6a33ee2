using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class LossTests
{
    private const int Rows = 4;
    private const int Classes = 3;

    public static TheoryData<string> Losses => new() { "smoothed", "bce", "mse" };

    private static ILoss Create(string kind) => kind switch
    {
        "smoothed" => new SoftmaxCrossEntropy(Classes, 0.1f),
        "bce" => new BinaryCrossEntropy(Classes),
        _ => new MeanSquaredError(Classes),
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Compute_GradientMatchesFiniteDifferences_ForEachLoss(string kind)
    {
        var random = new Random(kind.Length);
        ILoss loss = Create(kind);
        float[] logits = GradientCheck.RandomValues(random, Rows * Classes, 3.0);
        int[] labels = [0, 2, 1, 2];
        var gradient = new float[Rows * Classes];

        loss.Compute(logits, labels, Rows, gradient);

        for (int i = 0; i < logits.Length; i++)
        {
            double numeric = GradientCheck.Numeric(logits, i, () => loss.Compute(logits, labels, Rows, []));
            GradientCheck.AssertMatches(gradient[i], numeric, $"{kind} logit[{i}]");
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyCompute_MatchesPyTorchLabelSmoothing_ForKnownValues()
    {
        // torch.nn.CrossEntropyLoss(label_smoothing=0.1)(tensor([[1., 2., 3.]]), tensor([0])) = 2.30761 (checked with torch 1.13)
        var loss = new SoftmaxCrossEntropy(3, 0.1f);

        double value = loss.Compute([1f, 2f, 3f], [0], 1, []);

        Assert.Equal(2.30761, value, 4);
    }

    [Fact]
    public void BinaryCrossEntropyCompute_MatchesPyTorch_ForKnownValues()
    {
        // torch.nn.BCEWithLogitsLoss()(tensor([[0.5, -1.0]]), tensor([[1., 0.]])) = 0.39367 (checked with torch 1.13)
        var loss = new BinaryCrossEntropy(2);

        double value = loss.Compute([0.5f, -1f], [0], 1, []);

        Assert.Equal(0.39367, value, 4);
    }

    [Fact]
    public void BinaryCrossEntropyCompute_StaysFinite_ForHugeLogits()
    {
        var loss = new BinaryCrossEntropy(2);

        double value = loss.Compute([1000f, -1000f], [1], 1, []);

        Assert.Equal(1000, value, 3);
    }

    [Fact]
    public void MeanSquaredErrorCompute_AveragesOverRowsAndOutputs_ForExplicitTargets()
    {
        var loss = new MeanSquaredError(2);
        var gradient = new float[2];

        double value = loss.Compute([1f, 3f], [0f, 1f], 1, gradient);

        Assert.Equal(2.5, value, 6); // (1 + 4) / 2
        Assert.Equal([1f, 2f], gradient); // 2 (y − t) / 2
    }

    [Fact]
    public void SoftmaxCrossEntropy_Throws_ForSmoothingOfOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy(3, 1f));
    }
}
