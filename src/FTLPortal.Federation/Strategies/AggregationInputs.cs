using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>The argument checks every strategy makes, and the gathering of the updates that carry a tensor.</summary>
internal static class AggregationInputs
{
    public static void Check(WeightSet current, IReadOnlyList<ClientUpdate> updates, bool needSampleCounts)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            throw new ArgumentException("There are no updates to aggregate.", nameof(updates));
        }

        foreach (ClientUpdate update in updates)
        {
            if (needSampleCounts && update.SampleCount <= 0)
            {
                throw new ArgumentException(
                    $"The update of partner '{update.PartnerId}' has a non-positive sample count ({update.SampleCount}).", nameof(updates));
            }

            CheckShapes(current, update.Weights, $"The update of partner '{update.PartnerId}'");
        }
    }

    public static void CheckShapes(WeightSet current, WeightSet weights, string owner)
    {
        foreach (NamedTensor tensor in weights)
        {
            if (!current.TryGet(tensor.Name, out NamedTensor? reference))
            {
                throw new ArgumentException($"{owner} has tensor '{tensor.Name}', which the model does not have.");
            }

            if (!tensor.HasShape(reference.Shape))
            {
                throw new ArgumentException(
                    $"{owner} has tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", reference.Shape)}].");
            }
        }
    }

    /// <summary>Fills <paramref name="into"/> with the data of the updates that carry tensor <paramref name="name"/>.</summary>
    public static void Gather(string name, IReadOnlyList<ClientUpdate> updates, List<float[]> into)
    {
        into.Clear();
        foreach (ClientUpdate update in updates)
        {
            if (update.Weights.TryGet(name, out NamedTensor? tensor))
            {
                into.Add(tensor.Data);
            }
        }
    }

    /// <summary>The tensors of <paramref name="current"/>, each replaced by the one of <paramref name="mean"/> when it has it.</summary>
    public static WeightSet Merge(WeightSet current, WeightSet mean)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(mean);
        CheckShapes(current, mean, "The mean model");
        return new WeightSet(current.Select(t => mean.TryGet(t.Name, out NamedTensor? m) ? m.Clone() : t.Clone()));
    }
}
