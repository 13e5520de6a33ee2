using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>An agent whose site went away: every training or evaluation call fails as a dropped connection would.</summary>
internal sealed class VanishingAgent(IFederatedAgent inner) : DelegatingAgent(inner)
{
    public override Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => throw new HttpRequestException("Connection refused (agent unreachable)");

    public override Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) => throw new HttpRequestException("Connection refused (agent unreachable)");

    public override Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => throw new HttpRequestException("Connection refused (agent unreachable)");
}
