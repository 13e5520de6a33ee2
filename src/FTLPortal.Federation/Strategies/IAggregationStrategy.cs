using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>Combines the round's validated client updates into the next global weights.</summary>
public interface IAggregationStrategy
{
    /// <summary>A short stable name, recorded in job metadata and model cards.</summary>
    string Name { get; }

    /// <summary>
    /// Returns the next global weights: a new set with the tensors of <paramref name="current"/> in the same order.
    /// Tensors no update carries (frozen layers) are copied from <paramref name="current"/> unchanged. Inputs are not modified.
    /// </summary>
    WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates);
}
