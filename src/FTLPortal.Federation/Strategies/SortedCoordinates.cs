using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// Runs an order statistic over each coordinate: gathers the values of the updates that carry a tensor into one reused
/// scratch row, sorts it in place and reduces it. No allocation per coordinate.
/// </summary>
internal static class SortedCoordinates
{
    public delegate float Reduce(ReadOnlySpan<float> sorted);

    public static WeightSet Combine(WeightSet current, IReadOnlyList<ClientUpdate> updates, Reduce reduce)
    {
        var result = new WeightSet();
        var sources = new List<float[]>(updates.Count);
        var scratch = new float[updates.Count];
        foreach (NamedTensor reference in current)
        {
            AggregationInputs.Gather(reference.Name, updates, sources);
            if (sources.Count == 0)
            {
                result.Add(reference.Clone());
                continue;
            }

            int n = sources.Count;
            Span<float> row = scratch.AsSpan(0, n);
            var output = new float[reference.Data.Length];
            for (int i = 0; i < output.Length; i++)
            {
                for (int k = 0; k < n; k++)
                {
                    row[k] = sources[k][i];
                }

                row.Sort();
                output[i] = reduce(row);
            }

            result.Add(new NamedTensor(reference.Name, (int[])reference.Shape.Clone(), output));
        }

        return result;
    }
}
