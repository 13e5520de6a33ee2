using System.Numerics.Tensors;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Training;

/// <summary>Mini-batch training with softmax cross-entropy. All buffers are sized once per call; batches allocate nothing.</summary>
public static class Trainer
{
    private const float AdamBeta1 = 0.9f;
    private const float AdamBeta2 = 0.999f;
    private const float AdamEpsilon = 1e-8f;

    public static TrainingHistory Train(
        IModel model,
        TabularDataset train,
        TrainingOptions options,
        Action<EpochMetrics>? onEpoch = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (model is not ITrainableModel trainable)
        {
            throw new NotSupportedException($"{model.GetType().Name} does not implement {nameof(ITrainableModel)}; use its backend's trainer.");
        }

        Validate(trainable, train, options);
        int rows = train.Rows;
        int featureCount = train.FeatureCount;
        int classes = model.Architecture.OutputSize;
        int batchSize = options.BatchSize == 0 ? rows : Math.Min(options.BatchSize, rows);

        // Only parameters of unfrozen layers reach the optimizer: frozen ones stay bit-identical.
        TrainableParameter[] updated = trainable.Parameters.Where(p => !options.FrozenLayers.Contains(p.LayerName)).ToArray();
        float[][] firstMoments = options.Optimizer == OptimizerKind.Adam ? updated.Select(p => new float[p.Gradient.Length]).ToArray() : [];
        float[][] secondMoments = options.Optimizer == OptimizerKind.Adam ? updated.Select(p => new float[p.Gradient.Length]).ToArray() : [];

        var loss = new SoftmaxCrossEntropy(classes);
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        var batchFeatures = new float[batchSize * featureCount];
        var batchLabels = new int[batchSize];
        var logitGradient = new float[batchSize * classes];
#pragma warning disable CA5394 // Reproducible shuffling, not security.
        var random = new Random(options.Seed);
#pragma warning restore CA5394
        var history = new List<EpochMetrics>(options.Epochs);
        long step = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle)
            {
                random.Shuffle(order);
            }

            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < rows; start += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                int count = Math.Min(batchSize, rows - start);
                for (int i = 0; i < count; i++)
                {
                    int row = order[start + i];
                    train.Features.AsSpan(row * featureCount, featureCount).CopyTo(batchFeatures.AsSpan(i * featureCount));
                    batchLabels[i] = train.Labels[row];
                }

                ReadOnlySpan<float> logits = trainable.Forward(batchFeatures.AsSpan(0, count * featureCount), count);
                for (int i = 0; i < count; i++)
                {
                    if (TensorPrimitives.IndexOfMax(logits.Slice(i * classes, classes)) == batchLabels[i])
                    {
                        correct++;
                    }
                }

                Span<float> gradient = logitGradient.AsSpan(0, count * classes);
                lossSum += loss.Compute(logits, batchLabels.AsSpan(0, count), count, gradient) * count;
                trainable.Backward(gradient, count, options.FrozenLayers);
                step++;
                if (options.Optimizer == OptimizerKind.Sgd)
                {
                    SgdStep(updated, options.LearningRate);
                }
                else
                {
                    AdamStep(updated, firstMoments, secondMoments, options.LearningRate, step);
                }
            }

            var metrics = new EpochMetrics(epoch, lossSum / rows, (double)correct / rows);
            history.Add(metrics);
            onEpoch?.Invoke(metrics);
        }

        return new TrainingHistory(history);
    }

    private static void Validate(ITrainableModel model, TabularDataset train, TrainingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BatchSize);
        if (!(options.LearningRate > 0) || !float.IsFinite(options.LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The learning rate must be positive and finite.");
        }

        ArgumentNullException.ThrowIfNull(options.FrozenLayers);
        if (train.Rows == 0)
        {
            throw new ArgumentException("Cannot train on zero rows.", nameof(train));
        }

        if (train.FeatureCount != model.Architecture.InputSize)
        {
            throw new ArgumentException(
                $"The dataset has {train.FeatureCount} features; the model expects {model.Architecture.InputSize}.", nameof(train));
        }

        if (train.ClassNames.Count != model.Architecture.OutputSize)
        {
            throw new ArgumentException(
                $"The dataset has {train.ClassNames.Count} classes; the model predicts {model.Architecture.OutputSize}. Align them with WithClassOrder.",
                nameof(train));
        }

        foreach (string frozen in options.FrozenLayers)
        {
            if (!model.Layers.Any(l => l.Name == frozen))
            {
                throw new ArgumentException($"Frozen layer '{frozen}' is not a layer of the model.", nameof(options));
            }
        }
    }

    private static void SgdStep(TrainableParameter[] parameters, float learningRate)
    {
        foreach (TrainableParameter parameter in parameters)
        {
            Span<float> w = parameter.Value.Data;
            ReadOnlySpan<float> g = parameter.Gradient;

            // A plain loop (no fused multiply-add) so one step is exactly w − lr·g in float32.
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= learningRate * g[i];
            }
        }
    }

    private static void AdamStep(TrainableParameter[] parameters, float[][] m, float[][] v, float learningRate, long step)
    {
        float correction1 = 1f - MathF.Pow(AdamBeta1, step);
        float correction2 = 1f - MathF.Pow(AdamBeta2, step);
        for (int p = 0; p < parameters.Length; p++)
        {
            Span<float> w = parameters[p].Value.Data;
            ReadOnlySpan<float> g = parameters[p].Gradient;
            Span<float> mp = m[p];
            Span<float> vp = v[p];
            for (int i = 0; i < w.Length; i++)
            {
                float gi = g[i];
                mp[i] = (AdamBeta1 * mp[i]) + ((1f - AdamBeta1) * gi);
                vp[i] = (AdamBeta2 * vp[i]) + ((1f - AdamBeta2) * gi * gi);
                float mHat = mp[i] / correction1;
                float vHat = vp[i] / correction2;
                w[i] -= learningRate * mHat / (MathF.Sqrt(vHat) + AdamEpsilon);
            }
        }
    }
}
