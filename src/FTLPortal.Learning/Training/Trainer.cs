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
        bool adam = options.Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW;
        float[][] firstMoments = adam || options.Momentum > 0 ? updated.Select(p => new float[p.Gradient.Length]).ToArray() : [];
        float[][] secondMoments = adam ? updated.Select(p => new float[p.Gradient.Length]).ToArray() : [];
        float[] layerMultipliers = updated
            .Select(p => options.LayerLearningRateMultipliers.TryGetValue(p.LayerName, out float m) ? m : 1f)
            .ToArray();
        var adamUpdate = new AdamUpdate(updated, firstMoments, secondMoments, layerMultipliers);
        // FedProx: the anchor w₀ of the proximal term, copied once per call.
        float[][] anchors = options.ProximalMu > 0 ? updated.Select(p => (float[])p.Value.Data.Clone()).ToArray() : [];
        int stepsPerEpoch = (rows + batchSize - 1) / batchSize;
        long totalSteps = (long)stepsPerEpoch * options.Epochs;

        ILoss loss = options.Loss switch
        {
            LossKind.BinaryCrossEntropy => new BinaryCrossEntropy(classes),
            LossKind.MeanSquaredError => new MeanSquaredError(classes),
            _ when options.ClassWeights is not null => new WeightedSoftmaxCrossEntropy(options.ClassWeights),
            _ when options.BalanceClasses => new WeightedSoftmaxCrossEntropy(WeightedSoftmaxCrossEntropy.BalancedWeights(train.Labels, classes)),
            _ => new SoftmaxCrossEntropy(classes, options.LabelSmoothing),
        };
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
        var modal = model as IHasTrainingMode;
        bool wasTraining = modal?.IsTraining ?? false;
        if (modal is not null)
        {
            modal.IsTraining = true; // dropout active, batch norm on batch statistics
        }

        try
        {
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
                    if (options.ProximalMu > 0)
                    {
                        AddProximalGradient(updated, anchors, options.ProximalMu);
                    }

                    if (options.MaxGradientNorm > 0)
                    {
                        ClipGradientNorm(updated, options.MaxGradientNorm);
                    }

                    float learningRate = options.Schedule is null
                        ? options.LearningRate
                        : (float)(options.LearningRate * options.Schedule.Multiplier(step, stepsPerEpoch, totalSteps));
                    step++;
                    if (options.Optimizer == OptimizerKind.Sgd)
                    {
                        if (options.Momentum > 0 || options.WeightDecay > 0 || options.LayerLearningRateMultipliers.Count > 0)
                        {
                            MomentumStep(updated, firstMoments, layerMultipliers, learningRate, options);
                        }
                        else
                        {
                            SgdStep(updated, learningRate);
                        }
                    }
                    else
                    {
                        adamUpdate.Step(learningRate, AdamBeta1, AdamBeta2, AdamEpsilon, step, options.WeightDecay, options.Optimizer == OptimizerKind.AdamW);
                    }
                }

                var metrics = new EpochMetrics(epoch, lossSum / rows, (double)correct / rows);
                history.Add(metrics);
                onEpoch?.Invoke(metrics);
            }
        }
        finally
        {
            if (modal is not null)
            {
                modal.IsTraining = wasTraining;
            }
        }

        return new TrainingHistory(history);
    }

    // Internal so the TorchSharp engine refuses exactly what this trainer refuses.
    internal static void Validate(IModel model, TabularDataset train, TrainingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BatchSize);
        if (!(options.LearningRate > 0) || !float.IsFinite(options.LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The learning rate must be positive and finite.");
        }

        ArgumentNullException.ThrowIfNull(options.FrozenLayers);
        ArgumentNullException.ThrowIfNull(options.LayerLearningRateMultipliers);
        if (!(options.Momentum >= 0f && options.Momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Momentum must be in [0, 1).");
        }

        if (options.Nesterov && (options.Momentum == 0f || options.Optimizer != OptimizerKind.Sgd))
        {
            throw new ArgumentException("Nesterov momentum needs SGD with a positive momentum.", nameof(options));
        }

        if (!(options.ProximalMu >= 0f) || !float.IsFinite(options.ProximalMu))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The proximal coefficient μ must be non-negative and finite.");
        }

        if (!(options.WeightDecay >= 0f) || !(options.MaxGradientNorm >= 0f) || !(options.LabelSmoothing is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Weight decay and the gradient-norm bound must be non-negative, label smoothing in [0, 1).");
        }

        if (options.ClassWeights is not null && options.ClassWeights.Count != model.Architecture.OutputSize)
        {
            throw new ArgumentException(
                $"{options.ClassWeights.Count} class weights for a model of {model.Architecture.OutputSize} classes.", nameof(options));
        }

        if ((options.ClassWeights is not null || options.BalanceClasses)
            && (options.Loss != LossKind.SoftmaxCrossEntropy || options.LabelSmoothing > 0f))
        {
            throw new ArgumentException("Class weights apply to softmax cross-entropy without label smoothing.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.EarlyStoppingPatience);
        foreach ((string layer, float multiplier) in options.LayerLearningRateMultipliers)
        {
            if (!model.Layers.Any(l => l.Name == layer))
            {
                throw new ArgumentException($"Learning-rate multiplier for '{layer}', which is not a layer of the model.", nameof(options));
            }

            if (!(multiplier >= 0f) || !float.IsFinite(multiplier))
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"The learning-rate multiplier of '{layer}' must be non-negative and finite.");
            }
        }
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

    private static void AddProximalGradient(TrainableParameter[] parameters, float[][] anchors, float mu)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            Span<float> gradient = parameters[i].Gradient;
            ReadOnlySpan<float> value = parameters[i].Value.Data;
            ReadOnlySpan<float> anchor = anchors[i];
            for (int j = 0; j < gradient.Length; j++)
            {
                gradient[j] += mu * (value[j] - anchor[j]);
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

    private static void ClipGradientNorm(TrainableParameter[] parameters, float maxNorm)
    {
        double sumOfSquares = 0;
        foreach (TrainableParameter parameter in parameters)
        {
            sumOfSquares += TensorPrimitives.SumOfSquares<float>(parameter.Gradient);
        }

        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            // PyTorch's clip_grad_norm_: scale by max / (norm + 1e-6).
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (TrainableParameter parameter in parameters)
            {
                TensorPrimitives.Multiply(parameter.Gradient, scale, parameter.Gradient);
            }
        }
    }

    // SGD with momentum, Nesterov, L2 weight decay and per-layer rates, as torch.optim.SGD (dampening 0).
    private static void MomentumStep(TrainableParameter[] parameters, float[][] buffers, float[] layerMultipliers, float learningRate, TrainingOptions options)
    {
        float momentum = options.Momentum;
        float decay = options.WeightDecay;
        for (int p = 0; p < parameters.Length; p++)
        {
            Span<float> w = parameters[p].Value.Data;
            ReadOnlySpan<float> g = parameters[p].Gradient;
            Span<float> buffer = momentum > 0 ? buffers[p] : default;
            float rate = learningRate * layerMultipliers[p];
            for (int i = 0; i < w.Length; i++)
            {
                float d = g[i] + (decay * w[i]);
                if (momentum > 0)
                {
                    buffer[i] = (momentum * buffer[i]) + d;
                    d = options.Nesterov ? d + (momentum * buffer[i]) : buffer[i];
                }

                w[i] -= rate * d;
            }
        }
    }
}
