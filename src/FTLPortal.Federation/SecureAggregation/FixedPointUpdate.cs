using System.Numerics.Tensors;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// The vector a client masks under secure aggregation: <c>[n·Δ, n]</c> in fixed point, with Δ = trained − global over
/// the named tensors in order, so the unmasked sum gives the sample-weighted mean change <c>Σ n·Δ / Σ n</c>. The agent
/// encodes (and checks, since the coordinator cannot); the coordinator decodes the sum.
/// </summary>
public static class FixedPointUpdate
{
    /// <summary>The vector length for <paramref name="tensors"/> of <paramref name="global"/>: their values, then n.</summary>
    public static int Length(WeightSet global, IReadOnlyList<string> tensors)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(tensors);
        return tensors.Sum(name => global[name].Data.Length) + 1;
    }

    /// <summary>
    /// Encodes the change from <paramref name="global"/> to <paramref name="trained"/>, scaled down to
    /// <paramref name="maxNorm"/> when longer. Throws <see cref="UpdateRejectedException"/> for a missing or misshapen
    /// tensor, a non-finite value, a non-positive sample count or a change outside the fixed-point range: such an
    /// update is not sent. With <paramref name="noise"/> (distributed DP) the change is clipped to the smaller bound, noised,
    /// and weighs 1 instead of n; <c>Clipped</c> is then always false, since whether a partner's change exceeded the DP
    /// bound is itself private.
    /// </summary>
    public static (ulong[] Input, bool Clipped) Encode(
        WeightSet global, WeightSet trained, IReadOnlyList<string> tensors, int sampleCount, double? maxNorm, DistributedNoise? noise = null)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(tensors);
        if (noise is not null && !(noise.ClipNorm > 0 && double.IsFinite(noise.ClipNorm) && noise.StandardDeviation >= 0 && double.IsFinite(noise.StandardDeviation)))
        {
            throw new ArgumentException($"Distributed DP needs a positive clip norm and a non-negative noise deviation (were {noise.ClipNorm} and {noise.StandardDeviation}).", nameof(noise));
        }

        if (sampleCount <= 0)
        {
            throw Rejected($"the sample count must be positive (was {sampleCount}).");
        }

        double squared = 0;
        foreach (string name in tensors)
        {
            if (!global.TryGet(name, out NamedTensor? reference))
            {
                throw Rejected($"tensor '{name}' is not part of the model.");
            }

            if (!trained.TryGet(name, out NamedTensor? tensor) || !tensor.HasShape(reference.Shape))
            {
                throw Rejected($"trainable tensor '{name}' is missing from the trained model or has another shape.");
            }

            int bad = UpdateValidator.IndexOfNonFinite(tensor.Data);
            if (bad >= 0)
            {
                throw Rejected($"tensor '{name}' holds a non-finite value ({tensor.Data[bad]}) at index {bad}; it is not sent.");
            }

            double distance = TensorPrimitives.Distance<float>(tensor.Data, reference.Data);
            squared += distance * distance;
        }

        double norm = Math.Sqrt(squared);
        double bound = Math.Min(maxNorm ?? double.PositiveInfinity, noise?.ClipNorm ?? double.PositiveInfinity);
        double scale = norm > bound ? bound / norm : 1.0;
        double weight = noise is null ? sampleCount : 1.0;
        GaussianNoise? gaussian = noise is { StandardDeviation: > 0 } ? new GaussianNoise(seed: null) : null;
        var input = new ulong[Length(global, tensors)];
        int offset = 0;
        try
        {
            foreach (string name in tensors)
            {
                float[] data = trained[name].Data, reference = global[name].Data;
                for (int k = 0; k < data.Length; k++)
                {
                    double change = scale * (data[k] - reference[k]);
                    input[offset++] = FixedPoint.Encode(weight * (gaussian is null ? change : change + (gaussian.Next() * noise!.StandardDeviation)));
                }
            }
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new UpdateRejectedException($"The change is too large for secure aggregation's fixed-point range (L2 norm {norm:G4}).", ex);
        }

        input[offset] = FixedPoint.Encode(weight);
        return (input, noise is null && scale < 1.0);
    }

    /// <summary>
    /// The mean model from the unmasked <paramref name="sum"/> of the clients' vectors: <paramref name="global"/> plus
    /// <c>Σ n·Δ / Σ n</c> for <paramref name="tensors"/> (only those are returned).
    /// </summary>
    public static WeightSet DecodeMean(WeightSet global, IReadOnlyList<string> tensors, ReadOnlySpan<ulong> sum)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(tensors);
        if (sum.Length != Length(global, tensors))
        {
            throw new ArgumentException($"The sum has {sum.Length} values; the layout needs {Length(global, tensors)}.", nameof(sum));
        }

        double total = FixedPoint.Decode(sum[^1]);
        if (!(total > 0))
        {
            throw new SecureAggregationAbortedException($"The unmasked sample count is {total}: the sum is not a valid aggregate.");
        }

        var mean = new WeightSet();
        int at = 0;
        foreach (string name in tensors)
        {
            NamedTensor reference = global[name];
            var data = new float[reference.Data.Length];
            for (int k = 0; k < data.Length; k++)
            {
                data[k] = (float)(reference.Data[k] + (FixedPoint.Decode(sum[at++]) / total));
            }

            mean.Add(new NamedTensor(name, (int[])reference.Shape.Clone(), data));
        }

        return mean;
    }

    private static UpdateRejectedException Rejected(string reason) => new(reason);
}
