using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class TabularDatasetTests
{
    private static TabularDataset Sample() =>
        new(["x", "y"], ["cat", "dog"], [1, 2, 3, 4, 5, 6], [0, 1, 1]);

    [Fact]
    public void WithClassOrder_RemapsLabelsToTheGivenList()
    {
        TabularDataset remapped = Sample().WithClassOrder(["bird", "dog", "cat"]);

        Assert.Equal(["bird", "dog", "cat"], remapped.ClassNames);
        Assert.Equal([2, 1, 1], remapped.Labels);
        Assert.Equal(Sample().Features, remapped.Features);
    }

    [Fact]
    public void WithClassOrder_Throws_NamingTheLabelMissingFromTheList()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Sample().WithClassOrder(["cat", "bird"]));

        Assert.Contains("'dog'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subset_CopiesTheChosenRowsInOrder()
    {
        TabularDataset subset = Sample().Subset([2, 0]);

        Assert.Equal([5f, 6f, 1f, 2f], subset.Features);
        Assert.Equal([1, 0], subset.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample().Subset([3]));
    }

    [Fact]
    public void Constructor_Throws_OnLengthMismatchOrLabelOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => new TabularDataset(["x", "y"], ["a", "b"], [1, 2, 3], [0, 1]));
        Assert.Throws<ArgumentException>(() => new TabularDataset(["x"], ["a", "b"], [1, 2], [0, 2]));
    }
}
