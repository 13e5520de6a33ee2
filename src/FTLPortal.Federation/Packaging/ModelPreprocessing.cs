namespace FTLPortal.Federation.Packaging;

/// <summary>
/// How a CSV row becomes the model's input: the feature columns in order (a one-hot feature is named <c>column=value</c>,
/// its values listed in <see cref="OneHotColumns"/>), the z-scorings (per domain and <see cref="GlobalName"/>), and the
/// imputation values. The portal's CSV reader refuses missing numbers (an empty cell is an error, and a categorical column
/// needs a value in every row), so <see cref="ImputationValues"/> is empty for models trained in the portal.
/// </summary>
public sealed record ModelPreprocessing
{
    public const string GlobalName = "global";

    public required IReadOnlyList<string> FeatureNames { get; init; }

    public required IReadOnlyList<string> ClassNames { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> OneHotColumns { get; init; } = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, float> ImputationValues { get; init; } = new SortedDictionary<string, float>(StringComparer.Ordinal);

    /// <summary>Sorted by name; <see cref="DefaultStandardization"/> is used when the caller names none.</summary>
    public required IReadOnlyList<FeatureStandardization> Standardizations { get; init; }

    public required string DefaultStandardization { get; init; }

    /// <summary>The one-hot columns implied by feature names of the form <c>column=value</c>.</summary>
    public static SortedDictionary<string, IReadOnlyList<string>> OneHotColumnsOf(IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        var columns = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string name in featureNames)
        {
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                string column = name[..equals];
                if (!columns.TryGetValue(column, out List<string>? values))
                {
                    columns[column] = values = [];
                }

                values.Add(name[(equals + 1)..]);
            }
        }

        return new SortedDictionary<string, IReadOnlyList<string>>(columns.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value), StringComparer.Ordinal);
    }

    /// <summary>Pooled mean and population standard deviation over several domains' train rows, from their moments.</summary>
    public static FeatureStandardization Pool(IReadOnlyList<FeatureStandardization> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Pooling needs at least one standardization.", nameof(parts));
        }

        int features = parts[0].Means.Count;
        long total = parts.Sum(p => (long)p.Rows);
        var means = new float[features];
        var deviations = new float[features];
        for (int f = 0; f < features; f++)
        {
            double mean = parts.Sum(p => (double)p.Means[f] * p.Rows) / total;
            double variance = parts.Sum(p => p.Rows * (((double)p.StandardDeviations[f] * p.StandardDeviations[f]) + Math.Pow(p.Means[f] - mean, 2))) / total;
            means[f] = (float)mean;
            deviations[f] = variance > 0 ? (float)Math.Sqrt(variance) : 1f;
        }

        return new FeatureStandardization(GlobalName, means, deviations, checked((int)total));
    }
}
