using System.Buffers.Binary;

namespace FTLPortal.Learning.Models;

/// <summary>
/// One tensor as a weights file holds it: its dtype named as safetensors names them (F32, F16, BF16, F64, I64, ...),
/// its shape, and its elements as contiguous row-major little-endian bytes.
/// </summary>
public sealed class StateDictTensor
{
    public const string F32 = "F32";
    public const string F16 = "F16";
    public const string BF16 = "BF16";

    public StateDictTensor(string dtype, IReadOnlyList<int> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dtype);
        ArgumentNullException.ThrowIfNull(shape);
        DType = dtype;
        Shape = shape.ToArray();
        Data = data;
    }

    public string DType { get; }

    public IReadOnlyList<int> Shape { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for the dtypes <see cref="ToFloat32"/> converts: F32, F16 and BF16.</summary>
    public bool IsFloatingPoint => DType is F32 or F16 or BF16;

    /// <summary>The elements as float32 (F16 and BF16 widened exactly). Throws <see cref="InvalidDataException"/> for other dtypes or a byte count that does not fit the shape.</summary>
    public float[] ToFloat32()
    {
        long elements = 1;
        foreach (int dimension in Shape)
        {
            elements = checked(elements * dimension);
        }

        int width = DType switch
        {
            F32 => 4,
            F16 or BF16 => 2,
            _ => throw new InvalidDataException($"Dtype {DType} cannot be converted to F32."),
        };
        if (Data.Length != elements * width)
        {
            throw new InvalidDataException($"{Data.Length} bytes do not hold [{string.Join(", ", Shape)}] elements of {DType}.");
        }

        ReadOnlySpan<byte> bytes = Data.Span;
        var values = new float[elements];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DType switch
            {
                F32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]),
                F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]),
                // bfloat16 is the upper half of a float32: widening is a shift.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16),
            };
        }

        return values;
    }

    public override string ToString() => $"{DType} [{string.Join(", ", Shape)}]";
}
