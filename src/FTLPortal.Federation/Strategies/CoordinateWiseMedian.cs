using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// Coordinate-wise median (Yin et al. 2018): each coordinate of the next model is the median of that coordinate over the
/// updates (the mean of the two middle values for an even count). A minority of arbitrary updates cannot move it beyond
/// the range of the honest ones.
/// </summary>
public sealed class CoordinateWiseMedian : IAggregationStrategy
{
    public string Name => "median";

    public bool RequiresIndividualUpdates => true;

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        AggregationInputs.Check(current, updates, needSampleCounts: false);
        return SortedCoordinates.Combine(current, updates, static sorted =>
        {
            int n = sorted.Length;
            return (n & 1) == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2f;
        });
    }
}
