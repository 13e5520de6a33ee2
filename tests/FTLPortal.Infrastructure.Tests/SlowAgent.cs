using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>A real agent whose local training takes at least <paramref name="delay"/>, so a test can act mid-job.</summary>
internal sealed class SlowAgent(IFederatedAgent inner, TimeSpan delay) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) => inner.PretrainAsync(request, progress, ct);

    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        await Task.Delay(delay, ct);
        return await inner.TrainLocalAsync(request, ct);
    }

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => inner.EvaluateAsync(request, ct);
}
