namespace FTLPortal.Core.BaseModels;

/// <summary>An architecture plus pre-trained weights, versioned by name: pre-trained on a domain, or imported.</summary>
public sealed class BaseModel
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public int Version { get; set; } = 1;

    /// <summary>How the weights came to the portal; imported models have no source domain (<see cref="HasSourceDomain"/>).</summary>
    public BaseModelOrigin Origin { get; set; } = BaseModelOrigin.Pretrained;

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

    /// <summary>Email of who imported the model (null for pre-trained ones).</summary>
    public string? ImportedBy { get; set; }

    /// <summary>SHA-256 of the uploaded file as it arrived (hex), beside <see cref="WeightsSha256"/> of the stored tensors.</summary>
    public string? ImportFileSha256 { get; set; }

    /// <summary>The uploaded file's format: "safetensors" or "state_dict".</summary>
    public string? ImportFormat { get; set; }

    public bool IsImported => Origin == BaseModelOrigin.Imported;

    /// <summary>Pre-trained models name the domain they learnt from; imported ones do not.</summary>
    public bool HasSourceDomain => SourceDomainId != Guid.Empty;
}
