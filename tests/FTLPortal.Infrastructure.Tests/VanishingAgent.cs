using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>An agent whose site went away: every training or evaluation call fails as a dropped connection would.</summary>
internal sealed class VanishingAgent(IFederatedAgent inner) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) => inner.PretrainAsync(request, progress, ct);

    public Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => throw new HttpRequestException("Connection refused (agent unreachable)");

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => throw new HttpRequestException("Connection refused (agent unreachable)");
}
