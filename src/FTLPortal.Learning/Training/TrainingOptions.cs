namespace FTLPortal.Learning.Training;

public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per batch; 0 means the full dataset as one batch.</summary>
    public int BatchSize { get; init; } = 32;

    public float LearningRate { get; init; } = 0.01f;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Seeds the per-epoch shuffle.</summary>
    public int Seed { get; init; } = 1;

    public bool Shuffle { get; init; } = true;

    /// <summary>Layers whose parameters are neither differentiated nor updated.</summary>
    public IReadOnlySet<string> FrozenLayers { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>SGD momentum (PyTorch's convention: buffer = μ·buffer + g); 0 is plain SGD.</summary>
    public float Momentum { get; init; }

    /// <summary>SGD with Nesterov momentum (needs <see cref="Momentum"/> &gt; 0).</summary>
    public bool Nesterov { get; init; }

    /// <summary>L2 penalty added to the gradient (SGD, Adam) or decoupled decay of the weights (AdamW).</summary>
    public float WeightDecay { get; init; }

    /// <summary>Learning-rate schedule; null keeps the rate constant.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>When positive, gradients are scaled so their global L2 norm (over the updated parameters) is at most this.</summary>
    public float MaxGradientNorm { get; init; }

    /// <summary>Per-layer learning-rate multipliers (discriminative fine-tuning); layers not listed use 1.</summary>
    public IReadOnlyDictionary<string, float> LayerLearningRateMultipliers { get; init; } = new Dictionary<string, float>(StringComparer.Ordinal);

    public LossKind Loss { get; init; } = LossKind.SoftmaxCrossEntropy;

    /// <summary>Label smoothing ε for <see cref="LossKind.SoftmaxCrossEntropy"/>.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>
    /// A weight per class for <see cref="LossKind.SoftmaxCrossEntropy"/> (<see cref="WeightedSoftmaxCrossEntropy"/>); null
    /// weighs every row alike unless <see cref="BalanceClasses"/> is set.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }

    /// <summary>Weigh classes by rows / (classes · class rows) of the training rows (a balanced loss), when no <see cref="ClassWeights"/> are given.</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>
    /// Early stopping: with a validation set (<see cref="ValidatedTraining"/>), stop after this many epochs without a lower
    /// validation loss and keep the weights of the best epoch; 0 trains every epoch.
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>
    /// FedProx's proximal coefficient μ (Li et al. 2020): adds <c>μ·(w - w₀)</c> to each updated parameter's gradient, w₀
    /// being its value when training started, so local training stays near the global model. 0 is off.
    /// </summary>
    public float ProximalMu { get; init; }
}
