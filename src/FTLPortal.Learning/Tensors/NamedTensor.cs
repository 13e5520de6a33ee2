namespace FTLPortal.Learning.Tensors;

/// <summary>A named dense float32 tensor stored row-major, e.g. "dense1.weight" with shape [out, in].</summary>
public sealed class NamedTensor
{
    public NamedTensor(string name, int[] shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long elements = ElementCount(shape);
        if (elements != data.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({elements} elements) but {data.Length} values.",
                nameof(data));
        }

        Name = name;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

#pragma warning disable CA1819 // Raw arrays on purpose: numerics code reads and writes them in place.
    public int[] Shape { get; }

    public float[] Data { get; }
#pragma warning restore CA1819

    /// <summary>The part of <see cref="Name"/> before the last '.', e.g. "dense1" for "dense1.weight".</summary>
    public string LayerName
    {
        get
        {
            int dot = Name.LastIndexOf('.');
            return dot < 0 ? Name : Name[..dot];
        }
    }

    public NamedTensor Clone() => new(Name, (int[])Shape.Clone(), (float[])Data.Clone());

    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(Shape);

    internal static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException("Tensor dimensions must not be negative.", nameof(shape));
            }

            count = checked(count * dimension);
        }

        return count;
    }

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
