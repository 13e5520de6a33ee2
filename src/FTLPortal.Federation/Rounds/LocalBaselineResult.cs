using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>One partner's local-only baseline: its model trained on its data alone, evaluated on its validation split; or why it failed.</summary>
public sealed record LocalBaselineResult(string PartnerId, string DomainId, int SampleCount, EvaluationResult? Validation, string? Error);
