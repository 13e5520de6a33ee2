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
}
