namespace FTLPortal.Core.Jobs;

/// <summary>Something that happened to a job. Flat on purpose: it goes to Blazor circuits and SignalR clients alike.</summary>
public sealed record JobEvent
{
    public Guid JobId { get; init; }

    public JobEventKind Kind { get; init; }

    public JobKind JobKind { get; init; }

    public string JobName { get; init; } = "";

    public JobStatus Status { get; init; }

    public double Progress { get; init; }

    public int Round { get; init; }

    public int TotalRounds { get; init; }

    /// <summary>Per-partner metrics of a completed round.</summary>
    public IReadOnlyList<PartnerRoundMetrics> Metrics { get; init; } = [];

    public string? Message { get; init; }

    /// <summary>With differential privacy: ε spent after the completed round.</summary>
    public double? Epsilon { get; init; }

    /// <summary>A link for the event (the model card's page).</summary>
    public string? Link { get; init; }

    /// <summary>Partners involved, so partner-scoped subscribers only get their own jobs' events.</summary>
    public IReadOnlyList<Guid> PartnerIds { get; init; } = [];

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
