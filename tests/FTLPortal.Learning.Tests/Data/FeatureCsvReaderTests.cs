using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class FeatureCsvReaderTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> SiteColumn = new() { ["site"] = ["rural", "urban"] };

    [Fact]
    public void Read_TakesColumnsByNameAndOneHotEncodes_IgnoringOtherColumns()
    {
        using var csv = new MemoryStream("label,site,b,a\nx,urban,2,1\ny,rural,4,3\ny,coastal,6,5\n"u8.ToArray());

        (float[] features, int rows) = FeatureCsvReader.Read(csv, ["a", "b", "site=rural", "site=urban"], SiteColumn);

        Assert.Equal(3, rows);
        Assert.Equal([1, 2, 0, 1, 3, 4, 1, 0, 5, 6, 0, 0], features);
    }

    [Fact]
    public void Read_GivesClearErrors_ForAMissingColumnOrABadNumber()
    {
        using var missing = new MemoryStream("a\n1\n"u8.ToArray());
        Assert.Contains("no column 'b'", Assert.Throws<DatasetFormatException>(() => FeatureCsvReader.Read(missing, ["a", "b"], SiteColumn)).Message, StringComparison.Ordinal);
        using var bad = new MemoryStream("a,b\n1,x\n"u8.ToArray());
        Assert.Contains("Line 2, column 'b'", Assert.Throws<DatasetFormatException>(() => FeatureCsvReader.Read(bad, ["a", "b"], SiteColumn)).Message, StringComparison.Ordinal);
    }
}
