using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Serialization;

/// <summary>
/// The safetensors format (written and read as F32; <see cref="ReadTensors"/> reads every dtype): u64 little-endian header length N, N bytes of UTF-8 JSON (space-padded to 8-byte
/// alignment), then the raw little-endian tensor bytes, contiguous and in order. Files open in Python's safetensors/PyTorch.
/// </summary>
public static class SafeTensorsFormat
{
    public const string MetadataKey = "__metadata__";

    // A header beyond this is not a weight file we wrote; refuse before allocating it.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static void Write(Stream destination, WeightSet weights, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(weights);
        byte[] header = BuildHeader(weights, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        destination.Write(length);
        destination.Write(header);
        foreach (NamedTensor tensor in weights)
        {
            if (BitConverter.IsLittleEndian)
            {
                destination.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
            else
            {
                var bytes = new byte[tensor.Data.Length * 4];
                for (int i = 0; i < tensor.Data.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), tensor.Data[i]);
                }

                destination.Write(bytes);
            }
        }
    }

    public static byte[] ToBytes(WeightSet weights, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, weights, metadata);
        return buffer.ToArray();
    }

    public static WeightSet Read(Stream source) => FromBytes(ReadAll(source));

    public static WeightSet FromBytes(ReadOnlySpan<byte> bytes)
    {
        (List<Entry> entries, int dataStart) = ReadEntries(bytes, anyDtype: false);
        ReadOnlySpan<byte> data = bytes[dataStart..];
        var weights = new WeightSet();
        foreach (Entry entry in entries)
        {
            var values = new float[(entry.End - entry.Begin) / 4];
            ReadOnlySpan<byte> raw = data[(int)entry.Begin..(int)entry.End];
            if (BitConverter.IsLittleEndian)
            {
                raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                }
            }

            weights.Add(new NamedTensor(entry.Name, entry.Shape, values));
        }

        return weights;
    }

    /// <summary>
    /// Every tensor of a safetensors file in any dtype the format defines (F32, F16, BF16, F64, integers, BOOL), as raw
    /// little-endian bytes in data order; for files written elsewhere (Python's safetensors, Hugging Face).
    /// </summary>
    public static IReadOnlyDictionary<string, StateDictTensor> ReadTensors(ReadOnlySpan<byte> bytes)
    {
        (List<Entry> entries, int dataStart) = ReadEntries(bytes, anyDtype: true);
        ReadOnlySpan<byte> data = bytes[dataStart..];
        var tensors = new Dictionary<string, StateDictTensor>(StringComparer.Ordinal);
        foreach (Entry entry in entries)
        {
            tensors[entry.Name] = new StateDictTensor(entry.DType, entry.Shape, data[(int)entry.Begin..(int)entry.End].ToArray());
        }

        return tensors;
    }

    private static (List<Entry> Entries, int DataStart) ReadEntries(ReadOnlySpan<byte> bytes, bool anyDtype)
    {
        (JsonDocument header, int dataStart) = ParseHeader(bytes);
        long dataLength = bytes.Length - dataStart;
        using (header)
        {
            var entries = new List<Entry>();
            foreach (JsonProperty property in header.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    continue;
                }

                entries.Add(ParseEntry(property, anyDtype));
            }

            // JSON order is not significant (Python writers sort names); the data order is.
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expectedBegin = 0;
            foreach (Entry entry in entries)
            {
                if (entry.Begin != expectedBegin)
                {
                    throw new InvalidDataException(
                        $"Tensor '{entry.Name}' starts at byte {entry.Begin} of the data section; expected {expectedBegin} (tensors must be contiguous).");
                }

                if (entry.End > dataLength)
                {
                    throw new InvalidDataException(
                        $"Tensor '{entry.Name}' ends at byte {entry.End} but the data section has only {dataLength} bytes.");
                }

                expectedBegin = entry.End;
            }

            if (expectedBegin != dataLength)
            {
                throw new InvalidDataException(
                    $"The data section has {dataLength} bytes but the tensors cover {expectedBegin}.");
            }

            return (entries, dataStart);
        }
    }

    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> bytes)
    {
        (JsonDocument header, _) = ParseHeader(bytes);
        using (header)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (header.RootElement.TryGetProperty(MetadataKey, out JsonElement element))
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException("The safetensors '__metadata__' entry is not a JSON object.");
                }

                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidDataException($"Metadata value '{property.Name}' is not a string.");
                    }

                    metadata[property.Name] = property.Value.GetString()!;
                }
            }

            return metadata;
        }
    }

    public static IReadOnlyDictionary<string, string> ReadMetadata(Stream source) => ReadMetadata(ReadAll(source));

    private static byte[] BuildHeader(WeightSet weights, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> pair in metadata)
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (NamedTensor tensor in weights)
            {
                if (tensor.Name == MetadataKey)
                {
                    throw new ArgumentException($"A tensor cannot be named '{MetadataKey}'.", nameof(weights));
                }

                long length = tensor.Data.Length * 4L;
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += length;
            }

            writer.WriteEndObject();
        }

        // Pad with spaces so the data section starts 8-byte aligned (allowed by the spec, and what the reference writer does).
        int unpadded = (int)json.Length;
        int padded = (unpadded + 7) / 8 * 8;
        byte[] header = new byte[padded];
        json.GetBuffer().AsSpan(0, unpadded).CopyTo(header);
        header.AsSpan(unpadded).Fill((byte)' ');
        return header;
    }

    private static (JsonDocument Header, int DataStart) ParseHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"Not a safetensors file: {bytes.Length} bytes is shorter than the 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException(
                $"Not a safetensors file: the header length {headerLength} does not fit in the {bytes.Length - 8} bytes that follow.");
        }

        ReadOnlySpan<byte> headerBytes = bytes.Slice(8, (int)headerLength);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(headerBytes).TrimEnd(' '));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The safetensors header is not valid JSON: {ex.Message}", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new InvalidDataException("The safetensors header is not a JSON object.");
        }

        return (document, 8 + (int)headerLength);
    }

    private static Entry ParseEntry(JsonProperty property, bool anyDtype)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Tensor '{name}': the header entry is not a JSON object.");
        }

        if (!entry.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"Tensor '{name}' has no dtype.");
        }

        string dtypeName = dtype.GetString()!;
        if (!anyDtype && dtypeName != StateDictTensor.F32)
        {
            throw new InvalidDataException($"Tensor '{name}' has dtype {dtypeName}; only F32 is supported.");
        }

        int width = ElementBytes(name, dtypeName);

        if (!entry.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Tensor '{name}' has no shape array.");
        }

        var shape = new int[shapeElement.GetArrayLength()];
        long elements = 1;
        int d = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out int value) || value < 0)
            {
                throw new InvalidDataException($"Tensor '{name}' has an invalid shape dimension {dimension}.");
            }

            shape[d++] = value;
            elements = checked(elements * value);
        }

        if (!entry.TryGetProperty("data_offsets", out JsonElement offsets)
            || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin)
            || !offsets[1].TryGetInt64(out long end)
            || begin < 0
            || end < begin)
        {
            throw new InvalidDataException($"Tensor '{name}' has invalid data_offsets (need [begin, end] with 0 ≤ begin ≤ end).");
        }

        if (end - begin != elements * width)
        {
            throw new InvalidDataException(
                $"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({elements * width} bytes) but data_offsets span {end - begin} bytes.");
        }

        return new Entry(name, dtypeName, shape, begin, end);
    }

    /// <summary>Bytes per element of the safetensors dtypes.</summary>
    private static int ElementBytes(string name, string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => throw new InvalidDataException($"Tensor '{name}' has the unknown dtype {dtype}."),
    };

    private readonly record struct Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private static byte[] ReadAll(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return buffer.ToArray();
    }
}
