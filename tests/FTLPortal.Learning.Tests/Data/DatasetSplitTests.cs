using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class DatasetSplitTests
{
    [Fact]
    public void TrainValidation_PartitionsAllRows_StratifiedByClass()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 400, Seed = 1, LabelShift = 0.5 });

        (TabularDataset train, TabularDataset validation) = DatasetSplit.TrainValidation(data, 0.25, seed: 3);

        Assert.Equal(data.Rows, train.Rows + validation.Rows);
        int[] all = data.ClassCounts();
        int[] held = validation.ClassCounts();
        for (int c = 0; c < all.Length; c++)
        {
            Assert.InRange(held[c], (all[c] / 4) - 1, (all[c] / 4) + 1);
        }

        // Every original row appears exactly once across the two parts.
        static IEnumerable<string> Rows(TabularDataset d) =>
            Enumerable.Range(0, d.Rows).Select(r => string.Join(',', d.Row(r).ToArray()) + ":" + d.Labels[r]);
        Assert.Equal(Rows(data).Order(), Rows(train).Concat(Rows(validation)).Order());
    }

    [Fact]
    public void TrainValidation_IsReproducibleForASeed_AndDiffersAcrossSeeds()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 100, Seed = 1 });

        TabularDataset a = DatasetSplit.TrainValidation(data, 0.3, 7).Validation;
        TabularDataset b = DatasetSplit.TrainValidation(data, 0.3, 7).Validation;
        TabularDataset c = DatasetSplit.TrainValidation(data, 0.3, 8).Validation;

        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(a.Features, c.Features);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void TrainValidation_Throws_OnFractionOutsideTheOpenInterval(double fraction)
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 10, Seed = 1 });

        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.TrainValidation(data, fraction, 1));
    }
}
