using System.Numerics.Tensors;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Strategies;

/// <summary>
/// Krum and Multi-Krum (Blanchard et al. 2017): each update scores the sum of squared distances to its n - f - 2 nearest
/// other updates (f: the number of Byzantine partners tolerated); Krum keeps the lowest-scoring update, Multi-Krum the
/// <see cref="Selected"/> lowest and averages them by sample count.
/// </summary>
public sealed class Krum : IAggregationStrategy
{
    public Krum(int byzantine, int selected = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byzantine);
        ArgumentOutOfRangeException.ThrowIfLessThan(selected, 1);
        Byzantine = byzantine;
        Selected = selected;
    }

    /// <summary>f: how many updates may be arbitrary.</summary>
    public int Byzantine { get; }

    /// <summary>m: how many best-scoring updates are averaged (1 is Krum).</summary>
    public int Selected { get; }

    public string Name => Selected == 1 ? "krum" : "multi-krum";

    public bool RequiresIndividualUpdates => true;

    /// <summary>The partners whose updates the last <see cref="Aggregate"/> kept, best score first.</summary>
    public IReadOnlyList<string> LastSelection { get; private set; } = [];

    public WeightSet Aggregate(WeightSet current, IReadOnlyList<ClientUpdate> updates)
    {
        AggregationInputs.Check(current, updates, needSampleCounts: true);
        int n = updates.Count;
        int neighbours = n - Byzantine - 2;
        if (neighbours < 1)
        {
            throw new ArgumentException(
                $"Krum with f = {Byzantine} needs at least {Byzantine + 3} updates (n > f + 2); this round has {n}.", nameof(updates));
        }

        if (Selected > n - Byzantine)
        {
            throw new ArgumentException($"Multi-Krum cannot keep {Selected} of {n} updates with f = {Byzantine}.", nameof(updates));
        }

        var distances = new double[n * n];
        foreach (NamedTensor reference in current)
        {
            for (int a = 0; a < n; a++)
            {
                float[] x = Data(updates[a], reference);
                for (int b = a + 1; b < n; b++)
                {
                    double d = TensorPrimitives.Distance<float>(x, Data(updates[b], reference));
                    distances[(a * n) + b] += d * d;
                    distances[(b * n) + a] += d * d;
                }
            }
        }

        var scores = new double[n];
        var row = new double[n - 1];
        for (int a = 0; a < n; a++)
        {
            int k = 0;
            for (int b = 0; b < n; b++)
            {
                if (b != a)
                {
                    row[k++] = distances[(a * n) + b];
                }
            }

            Array.Sort(row);
            double score = 0;
            for (int j = 0; j < neighbours; j++)
            {
                score += row[j];
            }

            scores[a] = score;
        }

        List<int> chosen = Enumerable.Range(0, n).OrderBy(i => scores[i]).ThenBy(i => i).Take(Selected).ToList();
        LastSelection = chosen.ConvertAll(i => updates[i].PartnerId);
        return FederatedAveraging.Mean(current, chosen.ConvertAll(i => updates[i]), AveragingWeights.SampleCount);
    }

    // A tensor an update lacks (not trained by it) counts as the current value: no movement.
    private static float[] Data(ClientUpdate update, NamedTensor reference) =>
        update.Weights.TryGet(reference.Name, out NamedTensor? t) ? t.Data : reference.Data;
}
