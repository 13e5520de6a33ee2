using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace FTLPortal.Learning.Tests.Import;

/// <summary>Writes safetensors with any dtype, as Python's writers do (the portal's own writer only writes F32).</summary>
internal sealed class SafetensorsBuilder
{
    private readonly List<(string Name, string DType, int[] Shape, byte[] Data)> _tensors = [];

    public SafetensorsBuilder F32(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return Raw(name, "F32", shape, bytes);
    }

    public SafetensorsBuilder F16(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        }

        return Raw(name, "F16", shape, bytes);
    }

    /// <summary>bfloat16 by truncation: the upper 16 bits of each float32.</summary>
    public SafetensorsBuilder BF16(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)(BitConverter.SingleToInt32Bits(values[i]) >>> 16));
        }

        return Raw(name, "BF16", shape, bytes);
    }

    public SafetensorsBuilder Raw(string name, string dtype, int[] shape, byte[] data)
    {
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    public byte[] ToBytes()
    {
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        long offset = 0;
        foreach ((string name, string dtype, int[] shape, byte[] data) in _tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + data.Length } };
            offset += data.Length;
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        foreach ((_, _, _, byte[] data) in _tensors)
        {
            file.Write(data);
        }

        return file.ToArray();
    }
}
