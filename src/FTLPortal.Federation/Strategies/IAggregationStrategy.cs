using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// Combines the round's validated client updates into the next global weights. Mean-based strategies (FedAvg and the
/// server optimizers) can also start from an already averaged model (<see cref="ApplyMean"/>), which is what secure
/// aggregation and differential privacy deliver; robust strategies need each plain update
/// (<see cref="RequiresIndividualUpdates"/>). Stateful strategies (server optimizers) export their state so a resumed run
/// continues exactly.
/// </summary>
public interface IAggregationStrategy
{
    /// <summary>A short stable name, recorded in job metadata and model cards.</summary>
    string Name { get; }

    /// <summary>
    /// True for strategies that look at each update on its own (median, trimmed mean, Krum): they cannot run on masked
    /// (secure aggregation) or noised (differential privacy) sums.
    /// </summary>
    bool RequiresIndividualUpdates => false;

    /// <summary>
    /// Returns the next global weights: a new set with the tensors of <paramref name="current"/> in the same order.
    /// Tensors no update carries (frozen layers) are copied from <paramref name="current"/> unchanged. Inputs are not modified.
    /// </summary>
    WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates);

    /// <summary>
    /// Returns the next global weights from the clients' mean model (tensors <paramref name="mean"/> lacks keep their
    /// current values). FedAvg returns the mean itself; server optimizers step along <c>mean - current</c>.
    /// </summary>
    WeightSet ApplyMean(WeightSet current, WeightSet mean) =>
        throw new NotSupportedException($"Strategy '{Name}' needs the individual updates; it cannot start from their mean.");

    /// <summary>The strategy's state between rounds (safetensors), or null when it keeps none.</summary>
    byte[]? ExportState() => null;

    /// <summary>Restores the state <see cref="ExportState"/> returned (for a resumed run).</summary>
    void ImportState(ReadOnlySpan<byte> state)
    {
    }
}
