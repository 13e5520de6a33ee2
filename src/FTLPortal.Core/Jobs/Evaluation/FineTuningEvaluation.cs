using System.Text.Json;

namespace FTLPortal.Core.Jobs.Evaluation;

/// <summary>
/// The final evaluation of a fine-tuning job, stored once with the job (<see cref="PortalJob.EvaluationJson"/>): the job
/// page and the model card both show these numbers, computed once on the same weights.
/// </summary>
public sealed record FineTuningEvaluation
{
    /// <summary>The metric the negative-transfer flag compares (robust to class imbalance).</summary>
    public const string FlagMetric = "balanced accuracy";

    public required IReadOnlyList<string> ClassNames { get; init; }

    public required IReadOnlyList<DomainEvaluation> Domains { get; init; }

    /// <summary>The round whose global weights are the final model.</summary>
    public required int FinalRound { get; init; }

    public required int RoundsRun { get; init; }

    /// <summary>Why the job ended before its last round, or null.</summary>
    public string? StoppedEarly { get; init; }

    /// <summary>Bootstrap resamples behind every interval.</summary>
    public int BootstrapSamples { get; init; }

    /// <summary>SHA-256 of the final weights file (what sha256sum prints).</summary>
    public string WeightsSha256 { get; init; } = "";

    public string ToJson() => JsonSerializer.Serialize(this);

    public static FineTuningEvaluation? FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<FineTuningEvaluation>(json);
}
