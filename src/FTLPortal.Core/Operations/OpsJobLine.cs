using FTLPortal.Core.Jobs;

namespace FTLPortal.Core.Operations;

/// <summary>One recent job as Ops sees it: its rounds, its partners, and how it is doing.</summary>
public sealed record OpsJobLine(
    Guid JobId,
    string Name,
    JobKind Kind,
    JobStatus Status,
    int CurrentRound,
    int TotalRounds,
    IReadOnlyList<string> Partners,
    int Attempts,
    bool CancelRequested,
    string? Error,
    string? ProgressMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
