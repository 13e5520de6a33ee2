using FTLPortal.Learning.Data;
using FTLPortal.Learning.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FTLPortal.Learning.TorchSharp;

/// <summary>
/// The built-in <see cref="Trainer"/>'s loop on libtorch: the same shuffle order (System.Random with the options' seed), the
/// same batches, losses, optimizers (torch.optim with one parameter group per layer for the learning-rate multipliers),
/// schedules, clipping and freezing (frozen parameters get requires_grad = false and stay out of the optimizer).
/// </summary>
internal static class TorchTrainingLoop
{
    private const double AdamBeta1 = 0.9;
    private const double AdamBeta2 = 0.999;
    private const double AdamEpsilon = 1e-8;

    public static TrainingHistory Run(
        TorchSharpModel model, TabularDataset train, TrainingOptions options, Action<EpochMetrics>? onEpoch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Trainer.Validate(model, train, options);
        int rows = train.Rows;
        int classes = model.Architecture.OutputSize;
        int batchSize = options.BatchSize == 0 ? rows : Math.Min(options.BatchSize, rows);
        int stepsPerEpoch = (rows + batchSize - 1) / batchSize;
        long totalSteps = (long)stepsPerEpoch * options.Epochs;

        var groups = new List<(TorchLayer Layer, double Multiplier)>();
        foreach (TorchLayer layer in model.TorchLayers)
        {
            bool frozen = options.FrozenLayers.Contains(layer.Name);
            foreach (Parameter parameter in layer.Parameters)
            {
                parameter.requires_grad = !frozen;
            }

            if (!frozen && layer.Parameters.Any())
            {
                groups.Add((layer, options.LayerLearningRateMultipliers.TryGetValue(layer.Name, out float m) ? m : 1.0));
            }
        }

        Parameter[] updated = groups.SelectMany(g => g.Layer.Parameters).ToArray();
        using optim.Optimizer optimizer = CreateOptimizer(options, groups);
        optim.ILearningRateController[] controllers = optimizer.ParamGroups.ToArray();

        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        var orderIndex = new long[rows];
#pragma warning disable CA5394 // Reproducible shuffling (the built-in trainer's exact order), not security.
        var random = new Random(options.Seed);
#pragma warning restore CA5394

        // Dropout draws from libtorch's global generator: seed it so a run repeats.
        torch.random.manual_seed(options.Seed);
        using Tensor features = model.DatasetTensor(train);
        using Tensor labels = tensor(train.Labels.Select(l => (long)l).ToArray());
        var history = new List<EpochMetrics>(options.Epochs);
        long step = 0;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                if (options.Shuffle)
                {
                    random.Shuffle(order);
                }

                for (int i = 0; i < rows; i++)
                {
                    orderIndex[i] = order[i];
                }

                using Tensor epochOrder = tensor(orderIndex);
                double lossSum = 0;
                long correct = 0;
                for (int start = 0; start < rows; start += batchSize)
                {
                    ct.ThrowIfCancellationRequested();
                    int count = Math.Min(batchSize, rows - start);
                    double learningRate = options.Schedule is null
                        ? options.LearningRate
                        : options.LearningRate * options.Schedule.Multiplier(step, stepsPerEpoch, totalSteps);
                    step++;
                    for (int g = 0; g < controllers.Length; g++)
                    {
                        controllers[g].LearningRate = learningRate * groups[g].Multiplier;
                    }

                    // One scope per step: every temporary of the forward, backward and update is freed here.
                    using (NewDisposeScope())
                    {
                        Tensor index = epochOrder.narrow(0, start, count);
                        Tensor x = features.index_select(0, index);
                        Tensor y = labels.index_select(0, index);
                        optimizer.zero_grad();
                        Tensor logits = model.Forward(x, training: true);
                        Tensor loss = Loss(options, logits, y, classes);
                        loss.backward();
                        if (options.MaxGradientNorm > 0)
                        {
                            nn.utils.clip_grad_norm_(updated, options.MaxGradientNorm);
                        }

                        optimizer.step();
                        lossSum += loss.item<float>() * count;
                        correct += logits.argmax(1).eq(y).sum().item<long>();
                    }
                }

                var metrics = new EpochMetrics(epoch, lossSum / rows, (double)correct / rows);
                history.Add(metrics);
                onEpoch?.Invoke(metrics);
            }
        }
        finally
        {
            foreach (TorchLayer layer in model.TorchLayers)
            {
                foreach (Parameter parameter in layer.Parameters)
                {
                    parameter.grad?.Dispose();
                    parameter.requires_grad = true;
                }
            }
        }

        return new TrainingHistory(history);
    }

    private static Tensor Loss(TrainingOptions options, Tensor logits, Tensor labels, int classes) => options.Loss switch
    {
        LossKind.BinaryCrossEntropy => F.binary_cross_entropy_with_logits(logits, F.one_hot(labels, classes).to_type(ScalarType.Float32)),
        LossKind.MeanSquaredError => F.mse_loss(logits, F.one_hot(labels, classes).to_type(ScalarType.Float32)),
        _ => F.cross_entropy(logits, labels, label_smoothing: options.LabelSmoothing),
    };

    private static optim.Optimizer CreateOptimizer(TrainingOptions options, List<(TorchLayer Layer, double Multiplier)> groups)
    {
        double lr = options.LearningRate;
        switch (options.Optimizer)
        {
            case OptimizerKind.Sgd:
                return optim.SGD(
                    groups.Select(g => new global::TorchSharp.Modules.SGD.ParamGroup(g.Layer.Parameters, lr * g.Multiplier, options.Momentum, 0, options.WeightDecay, options.Nesterov)),
                    lr,
                    options.Momentum,
                    0,
                    options.WeightDecay,
                    options.Nesterov);
            case OptimizerKind.AdamW:
                return optim.AdamW(
                    groups.Select(g => new global::TorchSharp.Modules.AdamW.ParamGroup(g.Layer.Parameters, lr * g.Multiplier, AdamBeta1, AdamBeta2, AdamEpsilon, options.WeightDecay)),
                    lr,
                    AdamBeta1,
                    AdamBeta2,
                    AdamEpsilon,
                    options.WeightDecay);
            default:
                return optim.Adam(
                    groups.Select(g => new global::TorchSharp.Modules.Adam.ParamGroup(g.Layer.Parameters, lr * g.Multiplier, AdamBeta1, AdamBeta2, AdamEpsilon, options.WeightDecay)),
                    lr,
                    AdamBeta1,
                    AdamBeta2,
                    AdamEpsilon,
                    options.WeightDecay);
        }
    }
}
