using System.Numerics.Tensors;

namespace FTLPortal.Learning.Metrics;

/// <summary>
/// Computes <see cref="ClassificationReport"/>s from labels and class probabilities (rows × classes, row-major). Intervals
/// are percentile-bootstrap 95 % intervals over rows (resampled with replacement, seeded; numpy's linear quantiles); a
/// resample in which a metric is undefined (e.g. AUC without a positive row) is left out of that metric's interval.
/// </summary>
public static class ClassificationReporter
{
    private const double LowerQuantile = 0.025;
    private const double UpperQuantile = 0.975;

    // Layout of one statistics vector: the fixed metrics, then one recall per class.
    private const int AccuracyIndex = 0;
    private const int BalancedAccuracyIndex = 1;
    private const int MacroF1Index = 2;
    private const int AucIndex = 3;
    private const int SensitivityIndex = 4;
    private const int SpecificityIndex = 5;
    private const int MajorityIndex = 6;
    private const int RecallOffset = 7;

    /// <summary>The predicted class of each row: argmax, or for two classes the threshold on the positive class.</summary>
    public static int[] Predict(ReadOnlySpan<float> probabilities, int classCount, ClassificationReportOptions? options = null)
    {
        options ??= new ClassificationReportOptions();
        Check(probabilities.Length, classCount, options);
        int rows = probabilities.Length / classCount;
        var predictions = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(r * classCount, classCount);
            predictions[r] = classCount == 2
                ? (p[options.PositiveClass] >= options.Threshold ? options.PositiveClass : 1 - options.PositiveClass)
                : TensorPrimitives.IndexOfMax(p);
        }

        return predictions;
    }

    public static ClassificationReport Report(
        ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classCount, ClassificationReportOptions? options = null)
    {
        options ??= new ClassificationReportOptions();
        Check(probabilities.Length, classCount, options);
        if (probabilities.Length != labels.Length * classCount)
        {
            throw new ArgumentException($"Expected {labels.Length} × {classCount} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        if (labels.IsEmpty)
        {
            throw new ArgumentException("A report needs at least one row.", nameof(labels));
        }

        int rows = labels.Length;
        int[] label = labels.ToArray();
        int[] predicted = Predict(probabilities, classCount, options);
        bool binary = classCount == 2;
        float[] scores = new float[binary ? rows : 0];
        for (int r = 0; r < scores.Length; r++)
        {
            scores[r] = probabilities[(r * classCount) + options.PositiveClass];
        }

        var counts = new int[classCount];
        foreach (int l in label)
        {
            if ((uint)l >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {l} is outside 0..{classCount - 1}.");
            }

            counts[l]++;
        }

        int majority = options.MajorityClass ?? Array.IndexOf(counts, counts.Max());
        if ((uint)majority >= (uint)classCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The majority class {majority} is outside 0..{classCount - 1}.");
        }

        int[] all = Enumerable.Range(0, rows).ToArray();
        double[] point = Statistics(label, predicted, scores, all, classCount, options.PositiveClass, majority);
        List<double>[] samples = Bootstrap(label, predicted, scores, classCount, options, majority, point.Length);

        var confusion = new int[classCount][];
        for (int c = 0; c < classCount; c++)
        {
            confusion[c] = new int[classCount];
        }

        for (int r = 0; r < rows; r++)
        {
            confusion[label[r]][predicted[r]]++;
        }

        return new ClassificationReport
        {
            Rows = rows,
            ClassCount = classCount,
            Accuracy = Estimate(point, samples, AccuracyIndex)!,
            BalancedAccuracy = Estimate(point, samples, BalancedAccuracyIndex)!,
            MacroF1 = Estimate(point, samples, MacroF1Index)!,
            PerClassRecall = Enumerable.Range(0, classCount).Select(c => Estimate(point, samples, RecallOffset + c)).ToArray(),
            RocAuc = binary ? Estimate(point, samples, AucIndex) : null,
            Sensitivity = binary ? Estimate(point, samples, SensitivityIndex) : null,
            Specificity = binary ? Estimate(point, samples, SpecificityIndex) : null,
            Threshold = binary ? options.Threshold : null,
            PositiveClass = binary ? options.PositiveClass : null,
            ConfusionMatrix = confusion,
            MajorityClass = majority,
            MajorityBaselineAccuracy = Estimate(point, samples, MajorityIndex)!,
            BootstrapSamples = options.BootstrapSamples,
            BootstrapSeed = options.Seed,
        };
    }

    private static List<double>[] Bootstrap(
        int[] label, int[] predicted, float[] scores, int classCount, ClassificationReportOptions options, int majority, int width)
    {
        var samples = new List<double>[width];
        for (int i = 0; i < width; i++)
        {
            samples[i] = new List<double>(options.BootstrapSamples);
        }

#pragma warning disable CA5394 // Reproducible resampling, not security.
        var random = new Random(options.Seed);
        var indices = new int[label.Length];
        for (int b = 0; b < options.BootstrapSamples; b++)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = random.Next(label.Length);
            }
#pragma warning restore CA5394

            double[] stats = Statistics(label, predicted, scores, indices, classCount, options.PositiveClass, majority);
            for (int i = 0; i < width; i++)
            {
                if (!double.IsNaN(stats[i]))
                {
                    samples[i].Add(stats[i]);
                }
            }
        }

        return samples;
    }

    /// <summary>Every metric over the rows <paramref name="indices"/> (repeats allowed); NaN where a metric is undefined.</summary>
    private static double[] Statistics(
        int[] label, int[] predicted, float[] scores, int[] indices, int classCount, int positive, int majority)
    {
        var stats = new double[RecallOffset + classCount];
        var actual = new long[classCount];
        var predictedCount = new long[classCount];
        var hits = new long[classCount];
        foreach (int r in indices)
        {
            actual[label[r]]++;
            predictedCount[predicted[r]]++;
            if (label[r] == predicted[r])
            {
                hits[label[r]]++;
            }
        }

        int n = indices.Length;
        stats[AccuracyIndex] = (double)hits.Sum() / n;
        double recallSum = 0;
        int present = 0;
        double f1Sum = 0;
        for (int c = 0; c < classCount; c++)
        {
            double recall = actual[c] > 0 ? (double)hits[c] / actual[c] : double.NaN;
            stats[RecallOffset + c] = recall;
            if (actual[c] > 0)
            {
                recallSum += recall;
                present++;
            }

            long denominator = actual[c] + predictedCount[c];
            f1Sum += denominator == 0 ? 0 : 2.0 * hits[c] / denominator;
        }

        stats[BalancedAccuracyIndex] = recallSum / present;
        stats[MacroF1Index] = f1Sum / classCount;
        stats[MajorityIndex] = (double)actual[majority] / n;
        if (classCount == 2)
        {
            int negative = 1 - positive;
            stats[SensitivityIndex] = stats[RecallOffset + positive];
            stats[SpecificityIndex] = stats[RecallOffset + negative];
            if (actual[positive] > 0 && actual[negative] > 0)
            {
                var isPositive = new bool[n];
                var score = new float[n];
                for (int i = 0; i < n; i++)
                {
                    isPositive[i] = label[indices[i]] == positive;
                    score[i] = scores[indices[i]];
                }

                stats[AucIndex] = ClassificationMetrics.RocAuc(isPositive, score);
            }
            else
            {
                stats[AucIndex] = double.NaN;
            }
        }
        else
        {
            stats[AucIndex] = stats[SensitivityIndex] = stats[SpecificityIndex] = double.NaN;
        }

        return stats;
    }

    private static MetricEstimate? Estimate(double[] point, List<double>[] samples, int index)
    {
        if (double.IsNaN(point[index]))
        {
            return null;
        }

        List<double> values = samples[index];
        if (values.Count < 2)
        {
            return new MetricEstimate(point[index], null, null);
        }

        values.Sort();
        return new MetricEstimate(point[index], Quantile(values, LowerQuantile), Quantile(values, UpperQuantile));
    }

    // numpy.quantile's default ("linear"): position q·(n − 1) between the sorted values.
    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private static void Check(int length, int classCount, ClassificationReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), "A classification report needs at least two classes.");
        }

        if (length % classCount != 0)
        {
            throw new ArgumentException($"{length} probabilities are not a whole number of rows of {classCount} classes.");
        }

        if ((uint)options.PositiveClass > 1 && classCount == 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The positive class of a binary task is 0 or 1.");
        }

        if (!(options.Threshold is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The threshold must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.BootstrapSamples);
    }
}
