using System.Collections;
using FTLPortal.Learning.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace FTLPortal.Learning.TorchSharp.Import;

/// <summary>
/// Reads a <c>torch.save</c> state_dict with TorchSharp.PyBridge's unpickler. Public with a parameterless constructor: the
/// portal loads this engine as a plug-in and registers it as the <see cref="IStateDictReader"/> it finds.
/// </summary>
public sealed class PyBridgeStateDictReader : IStateDictReader
{
    public IReadOnlyDictionary<string, StateDictTensor> Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(source, leaveOpen: true);
        var tensors = new Dictionary<string, StateDictTensor>(StringComparer.Ordinal);
        try
        {
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor tensor)
                {
                    throw new InvalidDataException($"The state_dict entry '{entry.Key}' is not a named tensor.");
                }

                tensors[name] = ToRaw(tensor);
            }

            return tensors;
        }
        finally
        {
            foreach (object? value in table.Values)
            {
                (value as IDisposable)?.Dispose();
            }
        }
    }

    private static StateDictTensor ToRaw(Tensor tensor)
    {
        int[] shape = tensor.shape.Select(d => checked((int)d)).ToArray();
        using Tensor contiguous = tensor.contiguous();
        // libtorch on the platforms TorchSharp ships for keeps little-endian element bytes, the order safetensors uses.
        return new StateDictTensor(DTypeName(tensor.dtype), shape, contiguous.bytes.ToArray());
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => StateDictTensor.F32,
        ScalarType.Float16 => StateDictTensor.F16,
        ScalarType.BFloat16 => StateDictTensor.BF16,
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => type.ToString(),
    };
}
