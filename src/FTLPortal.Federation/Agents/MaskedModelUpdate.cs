using System.Text.Json.Serialization;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// What leaves a partner after local training under secure aggregation: the masked fixed-point vector
/// (<see cref="SecureTrainingRequest"/>), which alone looks uniformly random, with the same metadata and metrics a plain
/// <see cref="ModelUpdate"/> carries. No plain weight leaves the partner.
/// </summary>
public sealed record MaskedModelUpdate(
    string PartnerId,
    int Round,
    int ClientId,
    int SampleCount,
    ulong[] Masked,
    double TrainLoss,
    EvaluationResult Validation)
{
    /// <summary>Whether the agent scaled its change down to the request's norm bound before masking it.</summary>
    public bool Clipped { get; init; }

    /// <summary>The protocol bytes of this message (ids, counts and the masked vector).</summary>
    [JsonIgnore]
    public long Bytes => (3 * sizeof(int)) + ((long)(Masked?.Length ?? 0) * sizeof(ulong));
}
