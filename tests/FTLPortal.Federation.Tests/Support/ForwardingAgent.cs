using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>A real agent passed through, so a test can change just the calls it is about.</summary>
internal abstract class ForwardingAgent(IFederatedAgent inner) : IFederatedAgent
{
    protected IFederatedAgent Inner { get; } = inner;

    public string PartnerId => Inner.PartnerId;

    public bool SupportsSecureAggregation => Inner.SupportsSecureAggregation;

    public virtual Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => Inner.AdvertiseKeysAsync(request, ct);

    public virtual Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) => Inner.ShareKeysAsync(request, ct);

    public virtual Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) => Inner.TrainMaskedAsync(request, ct);

    public virtual Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => Inner.UnmaskAsync(request, ct);

    public virtual Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => Inner.TrainLocalAsync(request, ct);

    public virtual Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => Inner.EvaluateAsync(request, ct);

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        Inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => Inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => Inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => Inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        Inner.PretrainAsync(request, progress, ct);
}
