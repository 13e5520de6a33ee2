using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.TorchSharp.Tests.Jobs;

/// <summary>A real agent whose local training starts <paramref name="delay"/> late, so a test can stop the host mid-job.</summary>
internal sealed class DelayedTrainingAgent(IFederatedAgent inner, TimeSpan delay) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public IReadOnlyList<string> EngineNames => inner.EngineNames;

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, DomainUpload upload, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, upload, summaryOptions, ct);

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

    public Task<DomainPreprocessing> GetPreprocessingAsync(string domainId, double validationFraction, CancellationToken ct) =>
        inner.GetPreprocessingAsync(domainId, validationFraction, ct);
}
