namespace FTLPortal.Learning.Data;

/// <summary>Rows of float features (row-major Rows × FeatureCount) with one class index per row.</summary>
public sealed class TabularDataset
{
    public TabularDataset(IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames, float[] features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureNames.Count == 0)
        {
            throw new ArgumentException("A dataset needs at least one feature.", nameof(featureNames));
        }

        if (features.Length != (long)labels.Length * featureNames.Count)
        {
            throw new ArgumentException(
                $"{labels.Length} rows × {featureNames.Count} features need {labels.Length * featureNames.Count} values, got {features.Length}.",
                nameof(features));
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classNames.Count)
            {
                throw new ArgumentException($"Label index {label} is outside the {classNames.Count} classes.", nameof(labels));
            }
        }

        FeatureNames = featureNames.ToArray();
        ClassNames = classNames.ToArray();
        Features = features;
        Labels = labels;
    }

    public int Rows => Labels.Length;

    public int FeatureCount => FeatureNames.Count;

#pragma warning disable CA1819 // Raw arrays on purpose: the numerics read them as spans without copying.
    public float[] Features { get; }

    public int[] Labels { get; }
#pragma warning restore CA1819

    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>Number of rows of each class, indexed like <see cref="ClassNames"/>.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (int label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>The same rows with labels re-indexed against <paramref name="classNames"/> (e.g. a model's class list).</summary>
    public TabularDataset WithClassOrder(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Count; i++)
        {
            index.TryAdd(classNames[i], i);
        }

        var map = new int[ClassNames.Count];
        int[] counts = ClassCounts();
        for (int i = 0; i < ClassNames.Count; i++)
        {
            if (index.TryGetValue(ClassNames[i], out int mapped))
            {
                map[i] = mapped;
            }
            else if (counts[i] > 0)
            {
                throw new DatasetFormatException(
                    $"Label '{ClassNames[i]}' is not one of the expected classes ({string.Join(", ", classNames)}).");
            }
            else
            {
                map[i] = -1;
            }
        }

        var labels = new int[Rows];
        for (int r = 0; r < labels.Length; r++)
        {
            labels[r] = map[Labels[r]];
        }

        return new TabularDataset(FeatureNames, classNames, Features, labels);
    }

    /// <summary>A new dataset with the given rows, in the given order (indices may repeat).</summary>
    public TabularDataset Subset(ReadOnlySpan<int> rowIndices)
    {
        int featureCount = FeatureCount;
        var features = new float[rowIndices.Length * featureCount];
        var labels = new int[rowIndices.Length];
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int row = rowIndices[i];
            if ((uint)row >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIndices), $"Row {row} is outside the {Rows} rows.");
            }

            Features.AsSpan(row * featureCount, featureCount).CopyTo(features.AsSpan(i * featureCount));
            labels[i] = Labels[row];
        }

        return new TabularDataset(FeatureNames, ClassNames, features, labels);
    }

    /// <summary>
    /// The population standard deviation of each feature around <paramref name="means"/>. A second pass over the rows
    /// rather than Σx² − n·mean², so it stays accurate when a mean is large relative to the spread.
    /// </summary>
    internal double[] FeatureStandardDeviations(ReadOnlySpan<double> means)
    {
        int featureCount = FeatureCount;
        var deviations = new double[featureCount];
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> row = Row(r);
            for (int f = 0; f < featureCount; f++)
            {
                double d = row[f] - means[f];
                deviations[f] += d * d;
            }
        }

        for (int f = 0; f < featureCount; f++)
        {
            deviations[f] = Math.Sqrt(deviations[f] / Rows);
        }

        return deviations;
    }
}
