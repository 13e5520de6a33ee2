using System.Text;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Federation.Tests.Agents;

/// <summary>Upload limits, one-hot encoding and private file modes of the in-process agent.</summary>
public sealed class InProcessAgentUploadTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RegisterDomainAsync_RefusesA500000ColumnHeader_WithoutReadingTheRestOfTheUpload()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        byte[] header = Encoding.ASCII.GetBytes(string.Join(',', Enumerable.Range(0, 500_000).Select(i => "c")) + ",label\n1,a\n");
        using var upload = new CountingStream(header);

        DatasetFormatException error = await Assert.ThrowsAsync<DatasetFormatException>(
            () => agent.RegisterDomainAsync("wide", upload, "label", Summary, CancellationToken.None));

        Assert.StartsWith("The header has more than 2,000 columns", error.Message, StringComparison.Ordinal);
        Assert.InRange(upload.BytesServed, 1, 2 * 81920); // a 1 MB upload, refused within its first buffer or two
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task RegisterDomainAsync_RefusesMoreRowsThanTheLimit_AndStoresNothing()
    {
        var agent = new InProcessAgent("acme", _temp.Path, new InProcessAgentOptions { MaxRows = 4 });

        DatasetFormatException error = await Assert.ThrowsAsync<DatasetFormatException>(
            () => agent.RegisterDomainAsync("long", TestData.Text("a,label\n1,x\n2,y\n3,x\n4,y\n5,x\n"), "label", Summary, CancellationToken.None));

        Assert.Contains("more than 4 data rows", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task RegisterDomainAsync_OneHotEncodesWhenAsked_AndKeepsTheEncodingAfterARestart()
    {
        string[] colours = ["red", "blue", "green"];
        string csv = "colour,region,size,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{colours[i % 3]},{1 + (i % 2)},{i},{(i % 2 == 0 ? "a" : "b")}\n"));
        var upload = new DomainUpload("label") { OneHotEncodeCategoricals = true, OneHotColumns = ["region"] };

        DomainSummary summary = await new InProcessAgent("acme", _temp.Path)
            .RegisterDomainAsync("cats", TestData.Text(csv), upload, Summary, CancellationToken.None);
        DomainPreprocessing preprocessing = await new InProcessAgent("acme", _temp.Path)
            .GetPreprocessingAsync("cats", 0.2, CancellationToken.None);

        string[] expected = ["colour=blue", "colour=green", "colour=red", "region=1", "region=2", "size"];
        Assert.Equal(expected, summary.FeatureNames);
        Assert.Equal(expected, preprocessing.FeatureNames);
        var oneHot = ModelPreprocessing.OneHotColumnsOf(preprocessing.FeatureNames);
        Assert.Equal(["blue", "green", "red"], oneHot["colour"]);
        Assert.Equal(["1", "2"], oneHot["region"]);
    }

    [Fact]
    public async Task RegisterDomainAsync_RefusesACategoricalColumn_WhenOneHotIsNotAsked()
    {
        var agent = new InProcessAgent("acme", _temp.Path);

        DatasetFormatException error = await Assert.ThrowsAsync<DatasetFormatException>(
            () => agent.RegisterDomainAsync("cats", TestData.Text("colour,label\nred,a\nblue,b\n"), "label", Summary, CancellationToken.None));

        Assert.Contains("one-hot", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task RegisterDomainAsync_CreatesFilesWithMode600_InAFolderWithMode700()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        string folder = Path.Combine(_temp.Path, "agents", "acme");
        var agent = new InProcessAgent("acme", folder);

        await agent.RegisterDomainAsync("d", TestData.Text("a,label\n1,x\n2,y\n3,x\n4,y\n"), "label", Summary, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        string[] files = Directory.GetFiles(folder);
        Assert.Equal(3, files.Length);
        foreach (string file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    /// <summary>A stream over bytes that counts how many the reader pulled.</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesServed { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = base.Read(buffer, offset, count);
            BytesServed += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            int n = base.Read(buffer);
            BytesServed += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await base.ReadAsync(buffer, cancellationToken);
            BytesServed += n;
            return n;
        }
    }
}
