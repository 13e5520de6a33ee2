using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Agents;

/// <summary>An agent whose calls are noted in the <see cref="AgentHealthLog"/> (answered, or failed and why), for the Ops page.</summary>
internal sealed class ObservedAgent(IFederatedAgent inner, Guid partnerId, AgentHealthLog log) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public IReadOnlyList<string> EngineNames => inner.EngineNames;

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        Observe(() => inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct));

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, DomainUpload upload, SummaryOptions summaryOptions, CancellationToken ct) =>
        Observe(() => inner.RegisterDomainAsync(domainId, csv, upload, summaryOptions, ct));

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => Observe(() => inner.GetSummaryAsync(domainId, options, ct));

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => Observe(() => inner.HasDomainAsync(domainId, ct));

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => Observe(async () =>
    {
        await inner.DeleteDomainAsync(domainId, ct);
        return true;
    });

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) => Observe(() => inner.PretrainAsync(request, progress, ct));

    public Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => Observe(() => inner.TrainLocalAsync(request, ct));

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => Observe(() => inner.EvaluateAsync(request, ct));

    public Task<DomainPreprocessing> GetPreprocessingAsync(string domainId, double validationFraction, CancellationToken ct) =>
        Observe(() => inner.GetPreprocessingAsync(domainId, validationFraction, ct));

    public bool SupportsSecureAggregation => inner.SupportsSecureAggregation;

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => Observe(() => inner.AdvertiseKeysAsync(request, ct));

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) => Observe(() => inner.ShareKeysAsync(request, ct));

    public Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) => Observe(() => inner.TrainMaskedAsync(request, ct));

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => Observe(() => inner.UnmaskAsync(request, ct));

    private async Task<T> Observe<T>(Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            log.Answered(partnerId);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DomainNotFoundException and not IncompatibleDomainException and not Learning.Data.DatasetFormatException)
        {
            // Bad input is the caller's problem, not the agent's health.
            log.Failed(partnerId, ex.Message);
            throw;
        }
    }
}
