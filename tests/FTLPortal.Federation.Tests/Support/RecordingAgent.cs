using System.Collections.Concurrent;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>
/// Forwards every call to <paramref name="inner"/> and records the training and evaluation requests, the updates it
/// returns and, in <see cref="Returned"/>, every object any call returned to the coordinator.
/// </summary>
internal sealed class RecordingAgent(IFederatedAgent inner) : IFederatedAgent
{
    public string PartnerId => inner.PartnerId;

    public ConcurrentQueue<LocalTrainingRequest> TrainingRequests { get; } = new();

    public ConcurrentQueue<ModelUpdate> Updates { get; } = new();

    public ConcurrentQueue<EvaluationRequest> EvaluationRequests { get; } = new();

    /// <summary>Every result handed to the caller, in order, with the name of the call.</summary>
    public ConcurrentQueue<(string Call, object Result)> Returned { get; } = new();

    public bool SupportsSecureAggregation => inner.SupportsSecureAggregation;

    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        TrainingRequests.Enqueue(request);
        ModelUpdate update = await Record(nameof(TrainLocalAsync), inner.TrainLocalAsync(request, ct));
        Updates.Enqueue(update);
        return update;
    }

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct)
    {
        EvaluationRequests.Enqueue(request);
        return Record(nameof(EvaluateAsync), inner.EvaluateAsync(request, ct));
    }

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) =>
        Record(nameof(AdvertiseKeysAsync), inner.AdvertiseKeysAsync(request, ct));

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        Record(nameof(ShareKeysAsync), inner.ShareKeysAsync(request, ct));

    public Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
    {
        TrainingRequests.Enqueue(request.Training);
        return Record(nameof(TrainMaskedAsync), inner.TrainMaskedAsync(request, ct));
    }

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) =>
        Record(nameof(UnmaskAsync), inner.UnmaskAsync(request, ct));

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        inner.RegisterDomainAsync(domainId, csv, labelColumn, summaryOptions, ct);

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) =>
        inner.GetSummaryAsync(domainId, options, ct);

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => inner.HasDomainAsync(domainId, ct);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => inner.DeleteDomainAsync(domainId, ct);

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        inner.PretrainAsync(request, progress, ct);

    private async Task<T> Record<T>(string call, Task<T> result)
        where T : notnull
    {
        T value = await result;
        Returned.Enqueue((call, value));
        return value;
    }
}
