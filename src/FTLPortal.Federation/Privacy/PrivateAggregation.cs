using System.Numerics.Tensors;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Privacy;

/// <summary>
/// The coordinator's DP-FedAvg step (see <see cref="DifferentialPrivacyOptions"/>): clips each update's change, sums,
/// adds calibrated Gaussian noise and returns the noised mean model, which a mean-based strategy then applies. Keeps the
/// adaptive clip bound across rounds (<see cref="ClipNorm"/>, saved in the checkpoint).
/// </summary>
public sealed class PrivateAggregation
{
    private readonly DifferentialPrivacyOptions _options;
    private readonly GaussianNoise _noise;

    public PrivateAggregation(DifferentialPrivacyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        ClipNorm = options.ClipNorm;
        _noise = new GaussianNoise(options.NoiseSeed);
    }

    /// <summary>The current clip bound C (moves each round with adaptive clipping).</summary>
    public double ClipNorm { get; set; }

    /// <summary>How many of the last round's updates were already within the bound, before noise.</summary>
    public int LastUnclippedCount { get; private set; }

    /// <summary>
    /// The noised mean model over <paramref name="updates"/> (equal weights: each partner's influence is bounded by C).
    /// Only tensors the updates carry are returned. <paramref name="updates"/> must have passed the update checks.
    /// </summary>
    public WeightSet NoisedMean(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            throw new ArgumentException("There are no updates to aggregate.", nameof(updates));
        }

        var names = updates.SelectMany(u => u.Weights.Names).Distinct(StringComparer.Ordinal).ToList();
        var sums = names.ToDictionary(n => n, n => new float[current[n].Data.Length], StringComparer.Ordinal);
        int unclipped = 0;
        float clip = (float)ClipNorm;
        foreach (ClientUpdate update in updates)
        {
            double squared = 0;
            foreach (NamedTensor tensor in update.Weights)
            {
                double d = TensorPrimitives.Distance<float>(tensor.Data, current[tensor.Name].Data);
                squared += d * d;
            }

            double norm = Math.Sqrt(squared);
            if (norm <= ClipNorm)
            {
                unclipped++;
            }

            float scale = norm > ClipNorm ? (float)(ClipNorm / norm) : 1f;
            foreach (NamedTensor tensor in update.Weights)
            {
                float[] sum = sums[tensor.Name];
                ReadOnlySpan<float> reference = current[tensor.Name].Data;
                // sum += scale·(w - w_global), in two vector passes and no temporary.
                TensorPrimitives.MultiplyAdd(tensor.Data, scale, sum, sum);
                TensorPrimitives.MultiplyAdd(reference, -scale, sum, sum);
            }
        }

        double sigma = _options.UpdateNoiseMultiplier * clip;
        int n = updates.Count;
        var mean = new WeightSet();
        foreach (NamedTensor reference in current)
        {
            if (!sums.TryGetValue(reference.Name, out float[]? sum))
            {
                continue;
            }

            AddGaussian(sum, sigma);
            TensorPrimitives.Multiply(sum, 1f / n, sum);
            TensorPrimitives.Add(sum, reference.Data, sum);
            mean.Add(new NamedTensor(reference.Name, (int[])reference.Shape.Clone(), sum));
        }

        LastUnclippedCount = unclipped;
        if (_options.AdaptiveClipping)
        {
            double noisedFraction = (unclipped + (Gaussian() * _options.CountNoiseStandardDeviation)) / n;
            ClipNorm *= Math.Exp(-_options.ClipLearningRate * (noisedFraction - _options.TargetQuantile));
        }

        return mean;
    }

    private void AddGaussian(Span<float> values, double sigma)
    {
        if (sigma == 0)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] += (float)(Gaussian() * sigma);
        }
    }

    private double Gaussian() => _noise.Next();
}
