using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>
/// A real agent whose site goes away at one step of secure aggregation: from <see cref="Step"/> on (in the attempts
/// listed in <see cref="Attempts"/>, every attempt when empty) each call fails as a dropped connection would; with no
/// step it never goes away. It counts the calls it received per step.
/// </summary>
internal sealed class VanishingSecureAgent(IFederatedAgent inner, SecureStep? step = null) : IFederatedAgent
{
    private readonly int[] _calls = new int[4];

    public SecureStep? Step { get; } = step;

    public IReadOnlySet<int> Attempts { get; init; } = new HashSet<int>();

    public string PartnerId => inner.PartnerId;

    public bool SupportsSecureAggregation => true;

    public int Calls(SecureStep step) => Volatile.Read(ref _calls[(int)step]);

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) =>
        Gate(SecureStep.AdvertiseKeys, request.Session, () => inner.AdvertiseKeysAsync(request, ct));

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        Gate(SecureStep.ShareKeys, request.Session, () => inner.ShareKeysAsync(request, ct));

    public Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) =>
        Gate(SecureStep.TrainMasked, request.Session, () => inner.TrainMaskedAsync(request, ct));

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) =>
        Gate(SecureStep.Unmask, request.Session, () => inner.UnmaskAsync(request, ct));

    public Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) => inner.TrainLocalAsync(request, ct);

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => inner.EvaluateAsync(request, ct);

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        inner.PretrainAsync(request, progress, ct);

    private Task<T> Gate<T>(SecureStep at, SecureSession session, Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls[(int)at]);
        bool gone = Step is { } from && at >= from && (Attempts.Count == 0 || Attempts.Contains(session.Attempt));
        return gone ? throw new HttpRequestException($"Connection refused (agent gone at {at})") : call();
    }
}
