using System.Text;
using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class CsvHeaderGuardTests
{
    [Fact]
    public void Append_Throws_AsSoonAsTheHeaderPassesTheLimit()
    {
        var guard = new CsvHeaderGuard(new CsvReadOptions());
        byte[] header = Encoding.ASCII.GetBytes(string.Join(',', Enumerable.Range(0, 500_000).Select(i => $"c{i}")));
        int fed = 0;

        var error = Assert.Throws<DatasetFormatException>(() =>
        {
            for (; fed < header.Length; fed += 4096)
            {
                guard.Append(header.AsSpan(fed, Math.Min(4096, header.Length - fed)));
            }
        });

        Assert.StartsWith("The header has more than 2,000 columns", error.Message, StringComparison.Ordinal);
        // 2,000 names of at most 6 bytes: the guard stops within the first few chunks of a 4.3 MB header.
        Assert.InRange(fed, 0, 16 * 1024);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3,4,5,6\n")]
    [InlineData("\r\n\n\"a,b,c,d,e\",b,c\n")]
    [InlineData("\uFEFFa,b,c")]
    public void Append_Accepts_WhenTheHeaderIsWithinTheLimit_WhateverFollows(string text)
    {
        var guard = new CsvHeaderGuard(new CsvReadOptions { MaxColumns = 3 });

        guard.Append(Encoding.UTF8.GetBytes(text));

        Assert.Equal(text.Contains('\n', StringComparison.Ordinal), guard.HeaderComplete);
    }

    [Fact]
    public void Append_Throws_WhenTheHeaderIsSplitAcrossChunks()
    {
        var guard = new CsvHeaderGuard(new CsvReadOptions { MaxColumns = 3 });

        guard.Append("a,b"u8);
        guard.Append(",c"u8);

        Assert.Throws<DatasetFormatException>(() => guard.Append(",d\n"u8));
    }
}
