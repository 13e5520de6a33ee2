namespace FTLPortal.Learning.Data;

/// <summary>Per-feature z-scoring. Fit it on training rows only so validation rows do not leak into the scaling.</summary>
public sealed class Standardizer
{
    public Standardizer(float[] means, float[] standardDeviations)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (means.Length != standardDeviations.Length)
        {
            throw new ArgumentException("Means and standard deviations differ in length.", nameof(standardDeviations));
        }

        if (standardDeviations.Any(s => !(s > 0f) || !float.IsFinite(s)))
        {
            throw new ArgumentException("Standard deviations must be positive and finite.", nameof(standardDeviations));
        }

        Means = means;
        StandardDeviations = standardDeviations;
    }

#pragma warning disable CA1819 // Plain arrays: serialised with the model and read in hot loops.
    public float[] Means { get; }

    /// <summary>Population standard deviations; a constant feature gets 1 so it maps to 0 rather than dividing by 0.</summary>
    public float[] StandardDeviations { get; }
#pragma warning restore CA1819

    public static Standardizer Fit(TabularDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Rows == 0)
        {
            throw new ArgumentException("Cannot fit a standardizer on zero rows.", nameof(train));
        }

        int featureCount = train.FeatureCount;
        var sums = new double[featureCount];
        for (int r = 0; r < train.Rows; r++)
        {
            ReadOnlySpan<float> row = train.Row(r);
            for (int f = 0; f < featureCount; f++)
            {
                sums[f] += row[f];
            }
        }

        var means = new double[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            means[f] = sums[f] / train.Rows;
        }

        double[] standardDeviations = train.FeatureStandardDeviations(means);
        var meanValues = new float[featureCount];
        var deviations = new float[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            meanValues[f] = (float)means[f];
            float std = (float)standardDeviations[f];
            deviations[f] = std > 1e-12f && float.IsFinite(std) ? std : 1f;
        }

        return new Standardizer(meanValues, deviations);
    }

    public TabularDataset Transform(TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var features = (float[])dataset.Features.Clone();
        Transform(features, dataset.FeatureCount);
        return new TabularDataset(dataset.FeatureNames, dataset.ClassNames, features, dataset.Labels);
    }

    /// <summary>Standardizes row-major features in place.</summary>
    public void Transform(Span<float> features, int featureCount)
    {
        if (featureCount != Means.Length)
        {
            throw new ArgumentException($"Expected {Means.Length} features per row, got {featureCount}.", nameof(featureCount));
        }

        for (int start = 0; start + featureCount <= features.Length; start += featureCount)
        {
            Span<float> row = features.Slice(start, featureCount);
            System.Numerics.Tensors.TensorPrimitives.Subtract(row, Means, row);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, StandardDeviations, row);
        }
    }
}
