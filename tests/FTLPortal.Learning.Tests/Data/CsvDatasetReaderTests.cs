using System.Text;
using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public class CsvDatasetReaderTests
{
    private static TabularDataset Read(string text, string label = "label", CsvReadOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return CsvDatasetReader.Read(stream, label, options);
    }

    private static string Fails(string text, string label = "label", CsvReadOptions? options = null) =>
        Assert.Throws<DatasetFormatException>(() => Read(text, label, options)).Message;

    [Fact]
    public void Read_ParsesFeaturesAndLabels_WithQuotesCrlfWhitespaceAndTrailingNewline()
    {
        const string text = "age, \"label\" ,income\r\n 31 ,yes,1e3\r\n-2.5,\"no, really\",0.125\r\n\r\n7,yes,\"4\"\r\n";

        TabularDataset data = Read(text);

        Assert.Equal(3, data.Rows);
        Assert.Equal(["age", "income"], data.FeatureNames);
        Assert.Equal(["no, really", "yes"], data.ClassNames); // distinct, sorted ordinal
        Assert.Equal([31f, 1000f, -2.5f, 0.125f, 7f, 4f], data.Features);
        Assert.Equal([1, 0, 1], data.Labels);
    }

    [Fact]
    public void Read_UnescapesDoubledQuotes_AndSkipsAUtf8Bom()
    {
        string text = "\uFEFFx,label\n1,\"say \"\"hi\"\"\"\n2,b\n";

        TabularDataset data = Read(text);

        Assert.Equal(["b", "say \"hi\""], data.ClassNames);
        Assert.Equal("x", data.FeatureNames[0]);
    }

    [Fact]
    public void Read_UsesTheConfiguredDelimiter()
    {
        TabularDataset data = Read("a;label\n1,5;x\n2;y\n".Replace("1,5", "1.5", StringComparison.Ordinal), options: new CsvReadOptions { Delimiter = ';' });

        Assert.Equal([1.5f, 2f], data.Features);
    }

    [Fact]
    public void Read_Throws_OnNonNumericCell_NamingLineAndColumnAndTheRemedy()
    {
        string message = Fails("age,label\n1,a\n2,b\nabc,a\n");

        Assert.StartsWith("Line 4, column 'age': 'abc' is not a number, so the column is categorical", message, StringComparison.Ordinal);
        Assert.Contains("one-hot", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneHotEncodesCategoricalColumns_WhenAsked()
    {
        TabularDataset data = Read("colour,size,label\nred,1,a\nblue,2,b\nred,3,a\n", options: new CsvReadOptions { OneHotEncodeCategoricals = true });

        Assert.Equal(["colour=blue", "colour=red", "size"], data.FeatureNames);
        Assert.Equal([0f, 1f, 1f, 1f, 0f, 2f, 0f, 1f, 3f], data.Features);
    }

    [Fact]
    public void Read_RefusesCategoricalColumn_WithTooManyValuesOrEmptyCells()
    {
        var options = new CsvReadOptions { OneHotEncodeCategoricals = true, MaxCategories = 2 };

        Assert.Contains("more than 2 distinct values", Assert.Throws<DatasetFormatException>(() => Read("id,label\nx,a\ny,b\nz,a\n", options: options)).Message, StringComparison.Ordinal);
        Assert.Contains("empty cells", Assert.Throws<DatasetFormatException>(() => Read("c,label\nx,a\n,b\nx,a\n", options: options)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public void Read_Throws_OnNonFiniteNumbers(string cell)
    {
        string message = Fails($"x,label\n1,a\n{cell},b\n");

        Assert.StartsWith("Line 3, column 'x':", message, StringComparison.Ordinal);
        Assert.Contains("not a finite number", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_OnRaggedRow_NamingTheLine()
    {
        string message = Fails("a,b,label\n1,2,x\n1,2,3,y\n");

        Assert.Equal("Line 3 has 4 cells; the header has 3.", message);
    }

    [Fact]
    public void Read_Throws_OnMissingLabelColumn_ListingTheColumns()
    {
        string message = Fails("a,b,c\n1,2,3\n");

        Assert.Equal("No column named 'label' in the header (columns: a, b, c).", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n")]
    public void Read_Throws_OnEmptyFile(string text)
    {
        Assert.Equal("The file is empty.", Fails(text));
    }

    [Fact]
    public void Read_Throws_OnHeaderOnly()
    {
        Assert.Contains("no data rows", Fails("a,label\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_OnSingleClass()
    {
        Assert.Contains("needs at least two classes", Fails("a,label\n1,x\n2,x\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_OnDuplicateColumnNames()
    {
        Assert.Contains("'a' more than once", Fails("a,a,label\n1,2,x\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_OnOversizeFile_WithoutReadingItAll()
    {
        var source = new EndlessCsvStream();

        var error = Assert.Throws<DatasetFormatException>(
            () => CsvDatasetReader.Read(source, "label", new CsvReadOptions { MaxBytes = 1024 * 1024 }));

        Assert.Equal("The file is larger than the 1 MB limit.", error.Message);
        Assert.InRange(source.BytesServed, 1024 * 1024, (1024 * 1024) + 100_000);
    }

    [Fact]
    public void Read_AcceptsAFileOfExactlyTheLimit()
    {
        const string text = "a,label\n1,x\n2,y\n";

        TabularDataset data = Read(text, options: new CsvReadOptions { MaxBytes = Encoding.UTF8.GetByteCount(text) });

        Assert.Equal(2, data.Rows);
    }

    [Fact]
    public void Read_Throws_OnUnclosedQuote()
    {
        Assert.Contains("never closed", Fails("a,label\n1,\"x\n2,y\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadHeader_ReturnsColumnNames_WithoutReadingRows()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("\"first, name\",b,label\nnot,even,numbers\n"));

        IReadOnlyList<string> header = CsvDatasetReader.ReadHeader(stream);

        Assert.Equal(["first, name", "b", "label"], header);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsExactly()
    {
        TabularDataset original = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 50, Seed = 3 });
        using var stream = new MemoryStream();

        CsvDatasetWriter.Write(original, stream, "target");
        stream.Position = 0;
        TabularDataset back = CsvDatasetReader.Read(stream, "target");

        Assert.Equal(original.Features, back.Features);
        Assert.Equal(original.Labels, back.Labels);
        Assert.Equal(original.ClassNames, back.ClassNames);
        Assert.Equal(original.FeatureNames, back.FeatureNames);
    }

    [Fact]
    public void Read_RefusesAHeaderWiderThanTheLimit_NamingTheLimit()
    {
        string header = string.Join(',', Enumerable.Range(0, 500_000).Select(i => $"c{i}")) + ",label\n";

        string message = Fails(header + "1,a\n", options: new CsvReadOptions { MaxBytes = 20 * 1024 * 1024 });

        Assert.StartsWith("The header has more than 2,000 columns", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AcceptsExactlyMaxColumns_AndRefusesOneMore()
    {
        var options = new CsvReadOptions { MaxColumns = 3 };

        Assert.Equal(2, Read("a,b,label\n1,2,x\n3,4,y\n", options: options).FeatureCount);
        Assert.Contains("more than 3 columns", Fails("a,b,c,label\n1,2,3,x\n", options: options), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesMoreRowsThanTheLimit_NamingTheLine()
    {
        var options = new CsvReadOptions { MaxRows = 3 };

        Assert.Equal(3, Read("a,label\n1,x\n2,y\n3,x\n", options: options).Rows);
        Assert.Equal("Line 5: the file has more than 3 data rows, the most allowed.", Fails("a,label\n1,x\n2,y\n3,x\n4,y\n", options: options));
    }

    [Fact]
    public void Read_RefusesMoreClassesThanTheLimit()
    {
        string message = Fails("a,label\n1,x\n2,y\n3,z\n", options: new CsvReadOptions { MaxClasses = 2 });

        Assert.Contains("Line 4, column 'label'", message, StringComparison.Ordinal);
        Assert.Contains("more than 2 distinct classes", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneHotEncodesNamedNumericColumns()
    {
        TabularDataset data = Read("region,size,label\n2,1,a\n10,2,b\n2,3,a\n", options: new CsvReadOptions { OneHotColumns = ["region"] });

        Assert.Equal(["region=10", "region=2", "size"], data.FeatureNames);
        Assert.Equal([0f, 1f, 1f, 1f, 0f, 2f, 0f, 1f, 3f], data.Features);
    }

    [Theory]
    [InlineData("label", "is the label column")]
    [InlineData("colour", "No column named 'colour' to one-hot encode")]
    public void Read_RefusesOneHotColumn_ThatIsTheLabelOrUnknown(string column, string expected)
    {
        string message = Fails("a,label\n1,x\n2,y\n", options: new CsvReadOptions { OneHotColumns = [column] });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesOneHotEncoding_ThatGivesMoreFeaturesOrValuesThanAllowed()
    {
        const string text = "c,d,label\nr,s,x\ng,t,y\nb,u,x\n";
        var wide = new CsvReadOptions { OneHotEncodeCategoricals = true, MaxColumns = 5 };
        var big = new CsvReadOptions { OneHotEncodeCategoricals = true, MaxValues = 17 };

        Assert.Contains("gives 6 features, more than the 5 allowed", Fails(text, options: wide), StringComparison.Ordinal);
        Assert.Contains("3 rows × 6 features are 18 values, more than the 17 allowed", Fails(text, options: big), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadHeader_RefusesAHeaderWiderThanTheLimit()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("a,b,c,label\n1,2,3,x\n"));

        var error = Assert.Throws<DatasetFormatException>(() => CsvDatasetReader.ReadHeader(stream, new CsvReadOptions { MaxColumns = 3 }));

        Assert.Contains("more than 3 columns", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a;b;label\n1;2;x\n", "semicolons")]
    [InlineData("a\tb\tlabel\n1\t2\tx\n", "tabs")]
    public void Read_HintsAtTheDelimiter_WhenTheHeaderIsSeparatedByAnother(string text, string name)
    {
        string message = Fails(text);

        Assert.Contains($"separated by {name}, not commas", message, StringComparison.Ordinal);
    }

    /// <summary>A never-ending CSV that counts how many bytes the reader pulled.</summary>
    private sealed class EndlessCsvStream : Stream
    {
        private static readonly byte[] Line = Encoding.ASCII.GetBytes("1.0,2.0,x\n");

        public long BytesServed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesServed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = Line[(int)((BytesServed + i) % Line.Length)];
            }

            BytesServed += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
