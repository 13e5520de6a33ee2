using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class DomainSplitTests
{
    private static TabularDataset Imbalanced(int rows) =>
        SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = rows, Classes = 2, Seed = 5, LabelShift = 0.8 });

    [Fact]
    public void Parts_PartitionsRowsStratifiedByLabel_AndDependsOnlyOnTheDomainId()
    {
        TabularDataset data = Imbalanced(500);

        SplitRows a = DomainSplit.Create(data, "hospital-a").Parts(data, 0.2);
        SplitRows again = DomainSplit.Create(data, "hospital-a").Parts(data, 0.2);
        SplitRows other = DomainSplit.Create(data, "hospital-b").Parts(data, 0.2);

        Assert.Equal(a, again, new SplitRowsComparer());
        Assert.NotEqual(a.Test, other.Test);
        Assert.Equal(Enumerable.Range(0, 500), a.Train.Concat(a.Validation).Concat(a.Test).Order());
        int[] counts = data.ClassCounts();
        int[] testCounts = data.Subset([.. a.Test]).ClassCounts();
        for (int c = 0; c < counts.Length; c++)
        {
            Assert.InRange(testCounts[c], (counts[c] / 5) - 1, (counts[c] / 5) + 1);
        }
    }

    [Fact]
    public void Parts_TakesNestedValidationRowsAndKeepsTheTestRows_WhenTheValidationFractionChanges()
    {
        TabularDataset data = Imbalanced(300);
        DomainSplit split = DomainSplit.Create(data, "d");

        SplitRows small = split.Parts(data, 0.1);
        SplitRows large = split.Parts(data, 0.3);

        Assert.Equal(small.Test, large.Test);
        Assert.Subset(large.Validation.ToHashSet(), small.Validation.ToHashSet());
    }

    [Fact]
    public void Create_ChoosesCrossValidation_ForDomainsBelowTheThreshold()
    {
        Assert.Equal(EvaluationProtocol.CrossValidation, DomainSplit.Create(Imbalanced(DomainSplit.CrossValidationBelowRows - 1), "d").Protocol);
        Assert.Equal(EvaluationProtocol.HoldOut, DomainSplit.Create(Imbalanced(DomainSplit.CrossValidationBelowRows), "d").Protocol);
    }

    [Fact]
    public void CreateAndParts_GiveClearErrors_ForTooFewRowsOrAnotherDataset()
    {
        TabularDataset tiny = Imbalanced(4);
        DatasetFormatException tooFew = Assert.Throws<DatasetFormatException>(() => DomainSplit.Create(tiny, "d").Parts(tiny, 0.2));
        Assert.Contains("too few to split into training, validation and test rows", tooFew.Message, StringComparison.Ordinal);
        DomainSplit split = DomainSplit.Create(Imbalanced(100), "d");
        Assert.Throws<DatasetFormatException>(() => split.Parts(Imbalanced(120), 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Parts(Imbalanced(100), 0.2, testFold: 5));
    }

    [Fact]
    public void SeedFor_IsStableAcrossProcesses()
    {
        // FNV-1a of "abc": 0x1A47E90B.
        Assert.Equal(unchecked((int)0x1A47E90B), DomainSplit.SeedFor("abc"));
    }

    private sealed class SplitRowsComparer : IEqualityComparer<SplitRows>
    {
        public bool Equals(SplitRows? x, SplitRows? y) =>
            x is not null && y is not null && x.Train.SequenceEqual(y.Train) && x.Validation.SequenceEqual(y.Validation) && x.Test.SequenceEqual(y.Test);

        public int GetHashCode(SplitRows obj) => obj.Test.Count;
    }
}
