using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace FTLPortal.Learning.Tensors;

/// <summary>An ordered set of named tensors (insertion order is kept: it is the serialization order).</summary>
#pragma warning disable CA1710 // "WeightSet" is the domain name; "Collection" suffix would say less.
public sealed class WeightSet : IEnumerable<NamedTensor>
#pragma warning restore CA1710
{
    private readonly List<NamedTensor> _tensors = [];
    private readonly Dictionary<string, NamedTensor> _byName = new(StringComparer.Ordinal);

    public WeightSet()
    {
    }

    public WeightSet(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (NamedTensor tensor in tensors)
        {
            Add(tensor);
        }
    }

    public int Count => _tensors.Count;

    public IReadOnlyList<string> Names => _tensors.ConvertAll(t => t.Name);

    /// <summary>The distinct layer names in order of first appearance.</summary>
    public IReadOnlyList<string> LayerNames => _tensors.Select(t => t.LayerName).Distinct(StringComparer.Ordinal).ToList();

    public long ParameterCount => _tensors.Sum(t => (long)t.Data.Length);

    public NamedTensor this[string name] =>
        _byName.TryGetValue(name, out NamedTensor? tensor)
            ? tensor
            : throw new KeyNotFoundException($"No tensor named '{name}' in the weight set (tensors: {string.Join(", ", _byName.Keys)}).");

    public void Add(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_byName.TryAdd(tensor.Name, tensor))
        {
            throw new ArgumentException($"The weight set already has a tensor named '{tensor.Name}'.", nameof(tensor));
        }

        _tensors.Add(tensor);
    }

    public void Add(string name, int[] shape, float[] data) => Add(new NamedTensor(name, shape, data));

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NamedTensor? tensor) =>
        _byName.TryGetValue(name, out tensor);

    public WeightSet Clone() => new(_tensors.Select(t => t.Clone()));

    /// <summary>The tensors whose <see cref="NamedTensor.LayerName"/> is in <paramref name="layerNames"/> (shared, not copied).</summary>
    public WeightSet Only(IEnumerable<string> layerNames)
    {
        var keep = new HashSet<string>(layerNames, StringComparer.Ordinal);
        return new WeightSet(_tensors.Where(t => keep.Contains(t.LayerName)));
    }

    /// <summary>The tensors whose <see cref="NamedTensor.LayerName"/> is not in <paramref name="layerNames"/> (shared, not copied).</summary>
    public WeightSet Except(IEnumerable<string> layerNames)
    {
        var drop = new HashSet<string>(layerNames, StringComparer.Ordinal);
        return new WeightSet(_tensors.Where(t => !drop.Contains(t.LayerName)));
    }

    /// <summary>Lower-case hex SHA-256 over names, shapes and little-endian float bytes, in order.</summary>
    public string Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> int32 = stackalloc byte[4];
        foreach (NamedTensor tensor in _tensors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(tensor.Name));
            hash.AppendData([0]);
            BinaryPrimitives.WriteInt32LittleEndian(int32, tensor.Shape.Length);
            hash.AppendData(int32);
            foreach (int dimension in tensor.Shape)
            {
                BinaryPrimitives.WriteInt32LittleEndian(int32, dimension);
                hash.AppendData(int32);
            }

            if (BitConverter.IsLittleEndian)
            {
                hash.AppendData(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
            else
            {
                foreach (float value in tensor.Data)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(int32, value);
                    hash.AppendData(int32);
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public IEnumerator<NamedTensor> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
