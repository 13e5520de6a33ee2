namespace FTLPortal.Core.BaseModels;

/// <summary>An architecture plus pre-trained weights, versioned by name.</summary>
public sealed class BaseModel
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public int Version { get; set; } = 1;

    public Guid SourceDomainId { get; set; }

    public string SourceDomainName { get; set; } = "";

    public Guid? PretrainingJobId { get; set; }

    public required string ArchitectureJson { get; set; }

    /// <summary>The layers as the freeze page lists them, JSON of <see cref="ModelLayer"/>.</summary>
    public required string LayersJson { get; set; }

    /// <summary>Artifact key of the safetensors weights.</summary>
    public required string WeightsArtifact { get; set; }

    public string WeightsSha256 { get; set; } = "";

    public double ValidationAccuracy { get; set; }

    public double ValidationLoss { get; set; }

    public int TrainRows { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
