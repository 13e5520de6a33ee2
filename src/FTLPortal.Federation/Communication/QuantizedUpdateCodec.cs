using System.Buffers.Binary;
using System.Text;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Communication;

/// <summary>
/// The wire form of a quantized update: the change <c>Δ = w - w_global</c> of each tensor in float16 or int8 with a
/// per-tensor scale. Layout (little endian): "FTLQ", encoding byte, tensor count (int32), then per tensor: name length
/// (int32) and UTF-8 name, rank (int32) and dimensions (int32 each), scale (float32, int8 only), values.
/// </summary>
public static class QuantizedUpdateCodec
{
    private static readonly byte[] Magic = "FTLQ"u8.ToArray();

    public static byte[] Encode(WeightSet weights, WeightSet global, UpdateEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(global);
        if (encoding == UpdateEncoding.FullPrecision)
        {
            throw new ArgumentException("Full-precision updates travel as safetensors, not through this codec.", nameof(encoding));
        }

        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write((byte)encoding);
        writer.Write(weights.Count);
        float[] delta = [];
        foreach (NamedTensor tensor in weights)
        {
            float[] reference = global[tensor.Name].Data;
            if (delta.Length < tensor.Data.Length)
            {
                delta = new float[tensor.Data.Length];
            }

            Span<float> change = delta.AsSpan(0, tensor.Data.Length);
            System.Numerics.Tensors.TensorPrimitives.Subtract(tensor.Data, reference, change);
            byte[] name = Encoding.UTF8.GetBytes(tensor.Name);
            writer.Write(name.Length);
            writer.Write(name);
            writer.Write(tensor.Shape.Length);
            foreach (int dimension in tensor.Shape)
            {
                writer.Write(dimension);
            }

            if (encoding == UpdateEncoding.Float16)
            {
                var bytes = new byte[change.Length * 2];
                for (int i = 0; i < change.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)change[i]);
                }

                writer.Write(bytes);
            }
            else
            {
                float max = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(change);
                float scale = max > 0 ? max / 127f : 1f;
                writer.Write(scale);
                var bytes = new byte[change.Length];
                for (int i = 0; i < change.Length; i++)
                {
                    bytes[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(change[i] / scale), -127f, 127f));
                }

                writer.Write(bytes);
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Decodes to weights <c>w_global + Δ</c>. Throws <see cref="FormatException"/> on a malformed payload.</summary>
    public static WeightSet Decode(ReadOnlySpan<byte> payload, WeightSet global)
    {
        ArgumentNullException.ThrowIfNull(global);
        try
        {
            return DecodeCore(payload.ToArray(), global);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or KeyNotFoundException or OverflowException)
        {
            throw new FormatException($"The quantized update is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>Whether <paramref name="payload"/> starts like this codec's output.</summary>
    public static bool IsQuantized(ReadOnlySpan<byte> payload) => payload.StartsWith(Magic);

    private static WeightSet DecodeCore(byte[] payload, WeightSet global)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic))
        {
            throw new ArgumentException("not a quantized update");
        }

        var encoding = (UpdateEncoding)reader.ReadByte();
        if (encoding is not (UpdateEncoding.Float16 or UpdateEncoding.ScaledByte))
        {
            throw new ArgumentException($"unknown encoding {(int)encoding}");
        }

        int count = reader.ReadInt32();
        var result = new WeightSet();
        for (int t = 0; t < count; t++)
        {
            string name = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32()));
            int rank = reader.ReadInt32();
            if (rank is < 0 or > 8)
            {
                throw new ArgumentException($"tensor '{name}' has rank {rank}");
            }

            int[] shape = new int[rank];
            long length = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt32();
                length = checked(length * shape[d]);
            }

            float[] reference = global[name].Data;
            if (length != reference.Length)
            {
                throw new ArgumentException($"tensor '{name}' has {length} values, the model {reference.Length}");
            }

            var data = new float[length];
            if (encoding == UpdateEncoding.Float16)
            {
                byte[] bytes = ReadExactly(reader, checked((int)length * 2));
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = reference[i] + (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2));
                }
            }
            else
            {
                float scale = reader.ReadSingle();
                byte[] bytes = ReadExactly(reader, (int)length);
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = reference[i] + ((sbyte)bytes[i] * scale);
                }
            }

            result.Add(new NamedTensor(name, shape, data));
        }

        return result;
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        byte[] bytes = reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException("the payload ends early");
    }
}
