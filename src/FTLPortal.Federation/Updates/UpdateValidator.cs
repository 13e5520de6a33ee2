using System.Numerics.Tensors;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Updates;

/// <summary>
/// The coordinator's checks on a model update before it is aggregated: a positive sample count, only known tensors of
/// trainable layers with the global shapes (never tensors of frozen layers, nor of local layers, which stay with their
/// partner under FedBN), every trainable tensor of a shared layer present, only finite values and, when a bound is set,
/// an L2 distance from the global weights no larger than <see cref="MaxUpdateNorm"/> (a guard against poisoned or
/// diverged updates).
/// </summary>
public sealed class UpdateValidator
{
    public UpdateValidator(double? maxUpdateNorm = null)
    {
        if (maxUpdateNorm is { } bound && !(bound > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxUpdateNorm), "The update norm bound must be positive.");
        }

        MaxUpdateNorm = maxUpdateNorm;
    }

    /// <summary>The largest accepted L2 distance between the update's tensors and the global ones; null for no bound.</summary>
    public double? MaxUpdateNorm { get; }

    /// <summary>Checks <paramref name="update"/> against the current global weights and the freeze plan.</summary>
    public UpdateValidationResult Validate(ClientUpdate update, WeightSet global, IReadOnlyCollection<string> frozenLayers) =>
        Validate(update, global, frozenLayers, []);

    /// <summary>
    /// Checks <paramref name="update"/> against the current global weights, the freeze plan and the model's local layers
    /// (<c>ModelArchitecture.LocalLayerNames()</c>): an update must not carry a local layer's tensors and need not.
    /// </summary>
    public UpdateValidationResult Validate(
        ClientUpdate update, WeightSet global, IReadOnlyCollection<string> frozenLayers, IReadOnlyCollection<string> localLayers)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(frozenLayers);
        ArgumentNullException.ThrowIfNull(localLayers);

        if (update.SampleCount <= 0)
        {
            return UpdateValidationResult.Rejected($"the sample count must be positive (was {update.SampleCount}).");
        }

        if (update.Weights is null || update.Weights.Count == 0)
        {
            return UpdateValidationResult.Rejected("the update holds no tensors.");
        }

        var frozen = frozenLayers as IReadOnlySet<string> ?? new HashSet<string>(frozenLayers, StringComparer.Ordinal);
        var local = localLayers as IReadOnlySet<string> ?? new HashSet<string>(localLayers, StringComparer.Ordinal);
        foreach (NamedTensor tensor in update.Weights)
        {
            if (!global.TryGet(tensor.Name, out NamedTensor? reference))
            {
                return UpdateValidationResult.Rejected($"tensor '{tensor.Name}' is not part of the model.");
            }

            if (frozen.Contains(tensor.LayerName))
            {
                return UpdateValidationResult.Rejected(
                    $"tensor '{tensor.Name}' belongs to frozen layer '{tensor.LayerName}'; frozen layers are neither trained nor sent.");
            }

            if (local.Contains(tensor.LayerName))
            {
                return UpdateValidationResult.Rejected(
                    $"tensor '{tensor.Name}' belongs to local layer '{tensor.LayerName}'; local layers (FedBN) stay with their partner and are never sent.");
            }

            if (!tensor.HasShape(reference.Shape))
            {
                return UpdateValidationResult.Rejected(
                    $"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] but the model expects [{string.Join(", ", reference.Shape)}].");
            }

            int bad = IndexOfNonFinite(tensor.Data);
            if (bad >= 0)
            {
                return UpdateValidationResult.Rejected(
                    $"tensor '{tensor.Name}' holds a non-finite value ({tensor.Data[bad]}) at index {bad}.");
            }
        }

        foreach (NamedTensor reference in global)
        {
            if (!frozen.Contains(reference.LayerName) && !local.Contains(reference.LayerName) && !update.Weights.Contains(reference.Name))
            {
                return UpdateValidationResult.Rejected($"trainable tensor '{reference.Name}' is missing from the update.");
            }
        }

        if (MaxUpdateNorm is { } maxNorm)
        {
            double squared = 0;
            foreach (NamedTensor tensor in update.Weights)
            {
                double distance = TensorPrimitives.Distance<float>(tensor.Data, global[tensor.Name].Data);
                squared += distance * distance;
            }

            double norm = Math.Sqrt(squared);
            if (norm > maxNorm)
            {
                return UpdateValidationResult.Rejected(
                    $"the update moves the weights by an L2 distance of {norm:G4}, more than the bound of {maxNorm:G4}.");
            }
        }

        return UpdateValidationResult.Valid;
    }

    /// <summary>Like <see cref="Validate(ClientUpdate, WeightSet, IReadOnlyCollection{string})"/> but throws <see cref="UpdateRejectedException"/> with the reason.</summary>
    public void EnsureValid(ClientUpdate update, WeightSet global, IReadOnlyCollection<string> frozenLayers) =>
        EnsureValid(update, global, frozenLayers, []);

    /// <summary>Like <see cref="Validate(ClientUpdate, WeightSet, IReadOnlyCollection{string}, IReadOnlyCollection{string})"/> but throws <see cref="UpdateRejectedException"/> with the reason.</summary>
    public void EnsureValid(
        ClientUpdate update, WeightSet global, IReadOnlyCollection<string> frozenLayers, IReadOnlyCollection<string> localLayers)
    {
        ArgumentNullException.ThrowIfNull(update);
        UpdateValidationResult result = Validate(update, global, frozenLayers, localLayers);
        if (!result.IsValid)
        {
            throw new UpdateRejectedException(update.PartnerId, result.Reason!);
        }
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
