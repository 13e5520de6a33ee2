namespace FTLPortal.Learning.Metrics;

/// <summary>
/// Classification metrics over true labels and predictions or class probabilities (rows × classes, row-major).
/// Definitions follow scikit-learn: balanced accuracy is the mean per-class recall over classes present in the labels;
/// macro-F1 averages per-class F1 over all classes (0 for a class with no true or predicted rows); ROC AUC is the
/// probability that a random positive scores above a random negative, ties counting one half; ECE uses equal-width
/// confidence bins.
/// </summary>
public static class ClassificationMetrics
{
    // Probabilities are float: clamp before the log so a confident wrong answer costs a large but finite loss.
    private const double MinProbability = 1e-15;

    public static double Accuracy(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions)
    {
        CheckSameLength(labels.Length, predictions.Length);
        if (labels.IsEmpty)
        {
            return 0;
        }

        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == predictions[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }

    public static double BalancedAccuracy(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, int classCount)
    {
        (long[] truePositives, long[] actual, _) = Counts(labels, predictions, classCount);
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classCount; c++)
        {
            if (actual[c] > 0)
            {
                sum += (double)truePositives[c] / actual[c];
                present++;
            }
        }

        return present == 0 ? 0 : sum / present;
    }

    public static double MacroF1(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, int classCount)
    {
        (long[] truePositives, long[] actual, long[] predicted) = Counts(labels, predictions, classCount);
        double sum = 0;
        for (int c = 0; c < classCount; c++)
        {
            long denominator = actual[c] + predicted[c];
            sum += denominator == 0 ? 0 : 2.0 * truePositives[c] / denominator;
        }

        return sum / classCount;
    }

    /// <summary>ROC AUC of a binary problem: <paramref name="positive"/> says which rows are positive, higher scores mean more positive.</summary>
    public static double RocAuc(ReadOnlySpan<bool> positive, ReadOnlySpan<float> scores)
    {
        CheckSameLength(positive.Length, scores.Length);
        int n = positive.Length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        float[] keys = scores.ToArray();
        Array.Sort(keys, order);

        // Mann–Whitney U: sum of the positives' ranks, with tied scores sharing their mean rank.
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            double meanRank = ((start + 1) + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                if (positive[order[i]])
                {
                    positiveRankSum += meanRank;
                    positives++;
                }
            }

            start = end;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("ROC AUC needs at least one positive and one negative row.", nameof(positive));
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>Mean negative log-probability of the true class (natural log), probabilities clamped at 1e-15 as scikit-learn does.</summary>
    public static double LogLoss(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        CheckProbabilities(labels.Length, probabilities.Length, classCount);
        if (labels.IsEmpty)
        {
            return 0;
        }

        double total = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            total -= Math.Log(Math.Clamp(probabilities[(r * classCount) + labels[r]], MinProbability, 1.0));
        }

        return total / labels.Length;
    }

    /// <summary>
    /// Expected calibration error: rows are binned by their top probability into <paramref name="bins"/> equal-width bins over
    /// (0, 1]; ECE = Σ (bin rows / rows) · |accuracy in bin − mean confidence in bin|.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classCount, int bins = 15)
    {
        CheckProbabilities(labels.Length, probabilities.Length, classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (labels.IsEmpty)
        {
            return 0;
        }

        var count = new long[bins];
        var confidenceSum = new double[bins];
        var correctSum = new long[bins];
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(r * classCount, classCount);
            int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
            double confidence = p[predicted];
            int bin = Math.Clamp((int)Math.Ceiling(confidence * bins) - 1, 0, bins - 1);
            count[bin]++;
            confidenceSum[bin] += confidence;
            correctSum[bin] += predicted == labels[r] ? 1 : 0;
        }

        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += (double)count[b] / labels.Length * Math.Abs(((double)correctSum[b] / count[b]) - (confidenceSum[b] / count[b]));
            }
        }

        return ece;
    }

    private static (long[] TruePositives, long[] Actual, long[] Predicted) Counts(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, int classCount)
    {
        CheckSameLength(labels.Length, predictions.Length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var truePositives = new long[classCount];
        var actual = new long[classCount];
        var predicted = new long[classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount || (uint)predictions[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Row {i} has a class outside 0..{classCount - 1}.");
            }

            actual[labels[i]]++;
            predicted[predictions[i]]++;
            if (labels[i] == predictions[i])
            {
                truePositives[labels[i]]++;
            }
        }

        return (truePositives, actual, predicted);
    }

    private static void CheckSameLength(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"Expected as many predictions as labels ({a} vs {b}).");
        }
    }

    private static void CheckProbabilities(int rows, int length, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (length != rows * classCount)
        {
            throw new ArgumentException($"Expected {rows} × {classCount} probabilities, got {length}.");
        }
    }
}
