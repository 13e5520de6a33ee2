using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Import;

/// <summary>
/// Brings a base model from the PyTorch world: the portal's architecture JSON plus weights as safetensors (read here) or a
/// <c>torch.save</c> state_dict (read by an <see cref="IStateDictReader"/>). Names, shapes and dtypes are checked against the
/// architecture; float16 and bfloat16 are converted to float32; anything missing, extra, misshapen or of another dtype is
/// refused with the tensor named. BatchNorm's <c>num_batches_tracked</c> counters, which the portal does not keep, are dropped.
/// </summary>
public static class BaseModelImporter
{
    private const string BatchCounterSuffix = ".num_batches_tracked";

    /// <summary>Recognises the format from a file's first bytes (16 are enough); null when it is neither.</summary>
    public static ImportedWeightsFormat? DetectFormat(ReadOnlySpan<byte> head)
    {
        // torch.save writes a zip archive (PyTorch ≥ 1.6) or, with the legacy format, a pickle (protocol 2+).
        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            return ImportedWeightsFormat.PyTorchStateDict;
        }

        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return ImportedWeightsFormat.PyTorchStateDict;
        }

        // safetensors: a little-endian u64 header length, then the JSON header's '{'.
        if (head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) is > 1 and < 100UL * 1024 * 1024 && head[8] == (byte)'{')
        {
            return ImportedWeightsFormat.Safetensors;
        }

        return null;
    }

    /// <summary>Reads and checks the weights; throws <see cref="ModelImportException"/> naming what is wrong.</summary>
    public static ImportedBaseModel Import(string architectureJson, ReadOnlyMemory<byte> weights, ImportedWeightsFormat format, IStateDictReader? stateDictReader = null)
    {
        ModelArchitecture architecture = ReadArchitecture(architectureJson);
        return Check(architecture, ReadTensors(weights, format, stateDictReader));
    }

    /// <summary>Parses and validates the architecture; unknown layer kinds are refused with the supported ones listed.</summary>
    public static ModelArchitecture ReadArchitecture(string architectureJson)
    {
        if (string.IsNullOrWhiteSpace(architectureJson))
        {
            throw new ModelImportException("The architecture JSON is empty.");
        }

        try
        {
            return ModelArchitecture.FromJson(architectureJson);
        }
        catch (JsonException ex)
        {
            throw new ModelImportException($"The architecture is not valid JSON: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // Unknown layer kinds land here with the list of supported kinds in the message.
            throw new ModelImportException($"The architecture is refused: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ModelImportException($"The architecture is refused: {ex.Message}", ex);
        }
    }

    /// <summary>Checks named tensors from any reader against the architecture and returns the float32 weights in its order.</summary>
    public static ImportedBaseModel Check(ModelArchitecture architecture, IReadOnlyDictionary<string, StateDictTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(tensors);
        WeightSet expected = SequentialModel.Create(architecture, seed: 0).GetWeights();
        var notes = new List<string>();
        string[] extra = tensors.Keys
            .Where(n => !expected.Contains(n) && !n.EndsWith(BatchCounterSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (extra.Length > 0)
        {
            throw new ModelImportException(
                $"Tensor '{extra[0]}' is not part of the architecture{(extra.Length > 1 ? $" (nor {string.Join(", ", extra.Skip(1))})" : string.Empty)}; expected: {string.Join(", ", expected.Names)}.");
        }

        if (tensors.Keys.Any(n => n.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)))
        {
            notes.Add("BatchNorm num_batches_tracked counters dropped (the portal keeps running statistics only).");
        }

        var result = new WeightSet();
        foreach (NamedTensor want in expected)
        {
            if (!tensors.TryGetValue(want.Name, out StateDictTensor? tensor))
            {
                throw new ModelImportException($"Tensor '{want.Name}' is missing (shape [{string.Join(", ", want.Shape)}] expected).");
            }

            if (!want.HasShape(tensor.Shape.ToArray()))
            {
                throw new ModelImportException(
                    $"Tensor '{want.Name}' has shape [{string.Join(", ", tensor.Shape)}]; the architecture expects [{string.Join(", ", want.Shape)}].");
            }

            if (!tensor.IsFloatingPoint)
            {
                throw new ModelImportException($"Tensor '{want.Name}' has dtype {tensor.DType}; only F32, F16 and BF16 are accepted.");
            }

            if (tensor.DType != StateDictTensor.F32)
            {
                notes.Add($"Tensor '{want.Name}' converted from {tensor.DType} to F32.");
            }

            float[] data;
            try
            {
                data = tensor.ToFloat32();
            }
            catch (InvalidDataException ex)
            {
                throw new ModelImportException($"Tensor '{want.Name}': {ex.Message}", ex);
            }

            result.Add(want.Name, want.Shape, data);
        }

        return new ImportedBaseModel(architecture, result, notes);
    }

    private static IReadOnlyDictionary<string, StateDictTensor> ReadTensors(ReadOnlyMemory<byte> weights, ImportedWeightsFormat format, IStateDictReader? stateDictReader)
    {
        if (weights.IsEmpty)
        {
            throw new ModelImportException("The weights file is empty.");
        }

        string what = format == ImportedWeightsFormat.Safetensors ? "a safetensors file" : "a PyTorch state_dict (torch.save)";
        if (format == ImportedWeightsFormat.PyTorchStateDict && stateDictReader is null)
        {
            throw new ModelImportException("No reader for PyTorch state_dict files is installed; upload safetensors instead.");
        }

        try
        {
            if (format == ImportedWeightsFormat.Safetensors)
            {
                return SafeTensorsFormat.ReadTensors(weights.Span);
            }

            // The upload is already in memory: wrap it rather than copy up to the size cap again.
            using var stream = MemoryMarshal.TryGetArray(weights, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(weights.ToArray(), writable: false);
            return stateDictReader!.Read(stream);
        }
#pragma warning disable CA1031 // Any reader failure means the same thing to the user: the file is not readable weights.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new ModelImportException($"The weights could not be read as {what}: {ex.Message}", ex);
        }
    }
}
