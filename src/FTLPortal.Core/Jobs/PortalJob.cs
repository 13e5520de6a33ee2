namespace FTLPortal.Core.Jobs;

/// <summary>A unit of work the scheduler runs; its row survives restarts and carries progress for the pages.</summary>
public sealed class PortalJob
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public JobKind Kind { get; set; }

    public required string Name { get; set; }

    public JobStatus Status { get; set; } = JobStatus.Queued;

    /// <summary>0 to 1.</summary>
    public double Progress { get; set; }

    public string? ProgressMessage { get; set; }

    /// <summary>Kind-specific parameters as JSON (<see cref="FineTuningParameters"/> and friends).</summary>
    public required string ParametersJson { get; set; }

    /// <summary>Kind-specific result as JSON, set when the job completes.</summary>
    public string? ResultJson { get; set; }

    public string? Error { get; set; }

    /// <summary>A fine-tuning job's final evaluation (<see cref="Evaluation.FineTuningEvaluation"/> as JSON), shared by its page and card.</summary>
    public string? EvaluationJson { get; set; }

    public int CurrentRound { get; set; }

    public int TotalRounds { get; set; }

    public int Attempts { get; set; }

    /// <summary>Partners whose domains the job touches, comma-separated; partner admins see these jobs.</summary>
    public string InvolvedPartners { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>For a job requested to run later: when it is due (UTC). Null for "run now".</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>The recurring schedule whose occurrence created this job, if any.</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>The finished job this one was cloned from, if any.</summary>
    public Guid? ClonedFromId { get; set; }

    /// <summary>
    /// When a user asked to cancel the running job. Recorded in the database so whichever node runs the job honours it;
    /// the job then ends Cancelled, never Completed.
    /// </summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }

    public bool IsCancelRequested => CancelRequestedAt is not null;

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
