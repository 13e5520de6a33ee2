using System.IO.Compression;
using FTLPortal.Learning.Data;

namespace FTLPortal.Learning.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("idx-tests").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Idx(byte[] values, params int[] shape)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (int d in shape)
        {
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }

        bytes.AddRange(values);
        return bytes.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_ParsesBigEndianShapeAndValues_PlainOrGzip(bool compressed)
    {
        byte[] file = Idx([1, 2, 3, 4, 5, 6], 2, 3);
        using var stream = new MemoryStream(compressed ? Gzip(file) : file);

        (int[] shape, byte[] values) = IdxReader.Read(stream);

        Assert.Equal([2, 3], shape);
        Assert.Equal([1, 2, 3, 4, 5, 6], values);
    }

    [Fact]
    public void ReadImages_ScalesPixelsAndPairsLabels()
    {
        string images = Path.Combine(_folder, "images.gz");
        string labels = Path.Combine(_folder, "labels");
        File.WriteAllBytes(images, Gzip(Idx([0, 255, 51, 102, 0, 0, 0, 0], 2, 2, 2)));
        File.WriteAllBytes(labels, Idx([1, 0], 2));

        ImageDataset data = IdxReader.ReadImages(images, labels, ["zero", "one"], mean: 0.5f, standardDeviation: 0.5f);

        Assert.Equal([1, 2, 2], data.ImageShape);
        Assert.Equal(2, data.Dataset.Rows);
        Assert.Equal([1, 0], data.Dataset.Labels);
        Assert.Equal([-1f, 1f, -0.6f, -0.2f], data.Dataset.Row(0).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Read_Throws_ForTruncatedFileAndWrongMagic()
    {
        byte[] truncated = Idx([1, 2, 3], 2, 3);
        Assert.Contains("ends inside", Assert.Throws<DatasetFormatException>(() => IdxReader.Read(new MemoryStream(truncated))).Message, StringComparison.Ordinal);
        Assert.Throws<DatasetFormatException>(() => IdxReader.Read(new MemoryStream([1, 2, 8, 1, 0, 0, 0, 0])));
    }

    [Fact]
    public void ReadImages_Throws_WhenLabelCountDiffers()
    {
        string images = Path.Combine(_folder, "i");
        string labels = Path.Combine(_folder, "l");
        File.WriteAllBytes(images, Idx(new byte[8], 2, 2, 2));
        File.WriteAllBytes(labels, Idx([0], 1));

        Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(images, labels, ["a", "b"]));
    }
}
