using System.Numerics.Tensors;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// FedAvg: each tensor of the next global model is the weighted mean of that tensor over the updates that carry it;
/// tensors no update carries keep their current values bit for bit.
/// </summary>
public sealed class FederatedAveraging : IAggregationStrategy
{
    public FederatedAveraging(AveragingWeights weighting = AveragingWeights.SampleCount)
    {
        Weighting = weighting;
    }

    public AveragingWeights Weighting { get; }

    public string Name => Weighting == AveragingWeights.Equal ? "fedavg-equal" : "fedavg";

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        AggregationInputs.Check(current, updates, Weighting == AveragingWeights.SampleCount);
        return Mean(current, updates, Weighting);
    }

    public WeightSet ApplyMean(WeightSet current, WeightSet mean) => AggregationInputs.Merge(current, mean);

    /// <summary>The weighted mean of checked updates (no argument checks).</summary>
    internal static WeightSet Mean(WeightSet current, IReadOnlyList<ClientUpdate> updates, AveragingWeights weighting)
    {
        var result = new WeightSet();
        var contributors = new List<(float[] Data, double Weight)>(updates.Count);
        foreach (NamedTensor reference in current)
        {
            contributors.Clear();
            double total = 0;
            foreach (ClientUpdate update in updates)
            {
                if (update.Weights.TryGet(reference.Name, out NamedTensor? tensor))
                {
                    double weight = weighting == AveragingWeights.Equal ? 1.0 : update.SampleCount;
                    contributors.Add((tensor.Data, weight));
                    total += weight;
                }
            }

            if (contributors.Count == 0)
            {
                result.Add(reference.Clone());
                continue;
            }

            var sum = new float[reference.Data.Length];
            foreach ((float[] data, double weight) in contributors)
            {
                TensorPrimitives.MultiplyAdd(data, (float)(weight / total), sum, sum);
            }

            result.Add(new NamedTensor(reference.Name, (int[])reference.Shape.Clone(), sum));
        }

        return result;
    }
}
