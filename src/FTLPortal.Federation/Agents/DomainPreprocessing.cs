using FTLPortal.Learning.Data;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// How a domain's agent turns its CSV rows into model inputs: the feature columns in order and the z-scoring fitted on the
/// domain's fixed train rows (per-feature moments, which the domain summary publishes anyway; no row).
/// </summary>
public sealed record DomainPreprocessing(
    string DomainId,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<float> Means,
    IReadOnlyList<float> StandardDeviations,
    int TrainRows,
    EvaluationProtocol Protocol);
