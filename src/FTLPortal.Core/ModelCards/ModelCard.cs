namespace FTLPortal.Core.ModelCards;

/// <summary>The document produced with a fine-tuned model (Markdown with YAML front matter, and JSON).</summary>
public sealed class ModelCard
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid JobId { get; set; }

    public required string ModelName { get; set; }

    public required string Markdown { get; set; }

    public required string Json { get; set; }

    /// <summary>Artifact key of the fine-tuned weights (safetensors).</summary>
    public required string WeightsArtifact { get; set; }

    public string WeightsSha256 { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
