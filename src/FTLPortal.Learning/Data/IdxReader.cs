using System.Buffers.Binary;
using System.IO.Compression;

namespace FTLPortal.Learning.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (plain or gzip, detected from the bytes): a magic of two zero bytes, a
/// type code (only 0x08, unsigned bytes, is used by these datasets), the number of dimensions, big-endian int32 sizes, then
/// the values row-major.
/// </summary>
public static class IdxReader
{
    /// <summary>The Fashion-MNIST class names in label order.</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Reads one IDX array of unsigned bytes: its dimension sizes and its values.</summary>
    public static (int[] Shape, byte[] Values) Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using Stream stream = OpenMaybeGzip(source);
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, "header");
        if (header[0] != 0 || header[1] != 0)
        {
            throw new DatasetFormatException("Not an IDX file: it does not start with two zero bytes.");
        }

        if (header[2] != 0x08)
        {
            throw new DatasetFormatException($"IDX type 0x{header[2]:x2} is not supported; only unsigned bytes (0x08) are.");
        }

        int dimensions = header[3];
        if (dimensions is 0 or > 4)
        {
            throw new DatasetFormatException($"An IDX file with {dimensions} dimensions is not supported (1 to 4).");
        }

        var shape = new int[dimensions];
        long count = 1;
        Span<byte> size = stackalloc byte[4];
        for (int d = 0; d < dimensions; d++)
        {
            ReadExactly(stream, size, "dimension sizes");
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(size);
            if (shape[d] < 0)
            {
                throw new DatasetFormatException($"IDX dimension {d} has a negative size.");
            }

            count *= shape[d];
        }

        if (count > Array.MaxLength)
        {
            throw new DatasetFormatException($"The IDX array holds {count} values, too many for one array.");
        }

        var values = new byte[count];
        ReadExactly(stream, values, "values");
        return (shape, values);
    }

    public static (int[] Shape, byte[] Values) Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Read(file);
    }

    /// <summary>
    /// Pairs an images file [n, height, width] with a labels file [n]: features are (pixel / 255 − <paramref name="mean"/>) /
    /// <paramref name="standardDeviation"/> and the image shape is [1, height, width] for <c>ModelArchitecture.InputShape</c>.
    /// </summary>
    public static ImageDataset ReadImages(
        string imagesPath,
        string labelsPath,
        IReadOnlyList<string> classNames,
        float mean = 0f,
        float standardDeviation = 1f)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(standardDeviation);
        (int[] imageShape, byte[] pixels) = Read(imagesPath);
        (int[] labelShape, byte[] labelBytes) = Read(labelsPath);
        if (imageShape.Length != 3)
        {
            throw new DatasetFormatException($"'{imagesPath}' has {imageShape.Length} dimensions; images need 3 (count, height, width).");
        }

        if (labelShape.Length != 1 || labelShape[0] != imageShape[0])
        {
            throw new DatasetFormatException($"'{labelsPath}' does not hold one label per image ({imageShape[0]} images).");
        }

        int rows = imageShape[0];
        int featureCount = imageShape[1] * imageShape[2];
        var features = new float[pixels.Length];
        float scale = 1f / (255f * standardDeviation);
        float offset = mean / standardDeviation;
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = (pixels[i] * scale) - offset;
        }

        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = labelBytes[r];
            if (labels[r] >= classNames.Count)
            {
                throw new DatasetFormatException($"Label {labels[r]} of image {r} is outside the {classNames.Count} class names.");
            }
        }

        string[] featureNames = Enumerable.Range(0, featureCount).Select(i => $"pixel{i}").ToArray();
        return new ImageDataset(new TabularDataset(featureNames, classNames, features, labels), [1, imageShape[1], imageShape[2]]);
    }

    private static Stream OpenMaybeGzip(Stream source)
    {
        var buffered = new BufferedStream(source, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = buffered.Read(magic);
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            // BufferedStream cannot rewind a non-seekable source; re-open over the bytes already taken plus the rest.
            return new GZipStream(new PrefixedStream(magic.ToArray(), buffered), CompressionMode.Decompress);
        }

        return new PrefixedStream(magic[..read].ToArray(), buffered);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new DatasetFormatException($"The IDX file ends inside its {what}.", ex);
        }
    }
}
