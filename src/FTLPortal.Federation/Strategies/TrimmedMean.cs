using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// Coordinate-wise trimmed mean (Yin et al. 2018): per coordinate, drop the ⌊β·n⌋ largest and ⌊β·n⌋ smallest values and
/// average the rest.
/// </summary>
public sealed class TrimmedMean : IAggregationStrategy
{
    public TrimmedMean(double trimFraction = 0.2)
    {
        if (!(trimFraction is >= 0 and < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(trimFraction), "The trim fraction β must be in [0, 0.5).");
        }

        TrimFraction = trimFraction;
    }

    /// <summary>β: the fraction cut at each end.</summary>
    public double TrimFraction { get; }

    public string Name => "trimmed-mean";

    public bool RequiresIndividualUpdates => true;

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        AggregationInputs.Check(current, updates, needSampleCounts: false);
        double beta = TrimFraction;
        return SortedCoordinates.Combine(current, updates, sorted =>
        {
            int cut = (int)Math.Floor(beta * sorted.Length);
            ReadOnlySpan<float> kept = sorted[cut..^cut];
            return System.Numerics.Tensors.TensorPrimitives.Sum(kept) / kept.Length;
        });
    }
}
