namespace FTLPortal.Core.Domains;

/// <summary>A partner's labelled dataset as the coordinator knows it: metadata and the agent's summary, never rows.</summary>
public sealed class Domain
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid PartnerId { get; set; }

    public required string Name { get; set; }

    public required string LabelColumn { get; set; }

    /// <summary>The uploaded file's name as the partner gave it (for display only; the file stays with the agent).</summary>
    public string OriginalFileName { get; set; } = "";

    public int Rows { get; set; }

    public int FeatureCount { get; set; }

    public int ClassCount { get; set; }

    /// <summary>The agent's published summary (moments, class histogram, kernel mean embedding) as JSON.</summary>
    public required string SummaryJson { get; set; }

    /// <summary>
    /// The partner admin's consent to use this domain's summary in similarity scoring. Opt-in: off at registration until
    /// the partner admin grants it.
    /// </summary>
    public bool SimilarityConsent { get; set; }

    /// <summary>The partner admin's consent to let this domain join fine-tuning jobs. Opt-in: off at registration.</summary>
    public bool TrainingConsent { get; set; }

    public string RegisteredBy { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; } = DateTimeOffset.UtcNow;
}
