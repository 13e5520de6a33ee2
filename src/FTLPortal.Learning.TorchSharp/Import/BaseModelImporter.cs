using System.Collections;
using System.Text.Json;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace FTLPortal.Learning.TorchSharp.Import;

/// <summary>
/// Brings a base model from the PyTorch world: the portal's architecture JSON plus weights as safetensors or a
/// <c>torch.save</c> state_dict (read with TorchSharp.PyBridge). Names, shapes and dtypes are checked against the
/// architecture; float16 and bfloat16 are converted to float32; anything missing, extra, misshapen or of another dtype is
/// refused with the tensor named. BatchNorm's <c>num_batches_tracked</c> counters, which the portal does not keep, are dropped.
/// </summary>
public static class BaseModelImporter
{
    private const string BatchCounterSuffix = ".num_batches_tracked";

    public static ImportedBaseModel Import(string architectureJson, Stream weights, ImportedWeightsFormat format)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ModelArchitecture architecture = ReadArchitecture(architectureJson);
        WeightSet expected = SequentialModel.Create(architecture, seed: 0).GetWeights();
        Dictionary<string, Tensor> tensors = ReadTensors(weights, format);
        try
        {
            return Check(architecture, expected, tensors);
        }
        finally
        {
            foreach (Tensor tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private static ModelArchitecture ReadArchitecture(string architectureJson)
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
    }

    private static Dictionary<string, Tensor> ReadTensors(Stream weights, ImportedWeightsFormat format)
    {
        try
        {
            if (format == ImportedWeightsFormat.Safetensors)
            {
                return Safetensors.LoadStateDict(weights, leaveOpen: true);
            }

            Hashtable table = PyTorchUnpickler.UnpickleStateDict(weights, leaveOpen: true);
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string name || entry.Value is not Tensor tensor)
                {
                    throw new ModelImportException($"The state_dict entry '{entry.Key}' is not a named tensor.");
                }

                tensors[name] = tensor;
            }

            return tensors;
        }
        catch (ModelImportException)
        {
            throw;
        }
#pragma warning disable CA1031 // Any reader failure means the same thing to the user: the file is not readable weights.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string what = format == ImportedWeightsFormat.Safetensors ? "a safetensors file" : "a PyTorch state_dict (torch.save)";
            throw new ModelImportException($"The weights could not be read as {what}: {ex.Message}", ex);
        }
    }

    private static ImportedBaseModel Check(ModelArchitecture architecture, WeightSet expected, Dictionary<string, Tensor> tensors)
    {
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
            if (!tensors.TryGetValue(want.Name, out Tensor? tensor))
            {
                throw new ModelImportException($"Tensor '{want.Name}' is missing (shape [{string.Join(", ", want.Shape)}] expected).");
            }

            int[] shape = tensor.shape.Select(d => (int)d).ToArray();
            if (!want.HasShape(shape))
            {
                throw new ModelImportException(
                    $"Tensor '{want.Name}' has shape [{string.Join(", ", shape)}]; the architecture expects [{string.Join(", ", want.Shape)}].");
            }

            switch (tensor.dtype)
            {
                case ScalarType.Float32:
                    break;
                case ScalarType.Float16 or ScalarType.BFloat16:
                    notes.Add($"Tensor '{want.Name}' converted from {tensor.dtype} to Float32.");
                    break;
                default:
                    throw new ModelImportException($"Tensor '{want.Name}' has dtype {tensor.dtype}; only Float32, Float16 and BFloat16 are accepted.");
            }

            using (NewDisposeScope())
            {
                float[] data = tensor.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
                result.Add(want.Name, shape, data);
            }
        }

        return new ImportedBaseModel(architecture, result, notes);
    }
}
