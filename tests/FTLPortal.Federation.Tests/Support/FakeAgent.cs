using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>
/// An agent whose local training is scripted: by default it adds <see cref="Delta"/> to every tensor of the layers that
/// are not frozen and reports <see cref="SampleCount"/> rows. It reads no data. With <see cref="Secure"/> it takes part in
/// secure aggregation, masking that same update as a real agent would.
/// </summary>
internal sealed class FakeAgent(string partnerId) : IFederatedAgent
{
    private int _calls;

    public string PartnerId { get; } = partnerId;

    public float Delta { get; init; } = 1f;

    public int SampleCount { get; init; } = 10;

    /// <summary>Replaces the default behaviour of <see cref="TrainLocalAsync"/>.</summary>
    public Func<LocalTrainingRequest, CancellationToken, Task<ModelUpdate>>? OnTrain { get; init; }

    public int TrainCalls => Volatile.Read(ref _calls);

    public bool Secure { get; init; }

    public bool SupportsSecureAggregation => Secure;

    private SecureAggregationSessions Sessions { get; } = new();

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => Task.FromResult(Sessions.Advertise(request));

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) => Task.FromResult(Sessions.Share(request));

    public async Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
    {
        ModelUpdate plain = await TrainLocalAsync(request.Training, ct);
        (ulong[] input, _) = FixedPointUpdate.Encode(
            TestData.Weights(request.Training.GlobalWeights), TestData.Weights(plain.Weights), request.Tensors, plain.SampleCount, request.MaxUpdateNorm, request.Noise);
        ulong[] masked = Sessions.Mask(request.Session, request.Shares, input);
        return new MaskedModelUpdate(PartnerId, plain.Round, Sessions.ClientId(request.Session), plain.SampleCount, masked, plain.TrainLoss, plain.Validation);
    }

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => Task.FromResult(Sessions.Unmask(request));

    public List<int> RoundsSeen { get; } = [];

    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        lock (RoundsSeen)
        {
            RoundsSeen.Add(request.Round);
        }

        if (OnTrain is not null)
        {
            return await OnTrain(request, ct);
        }

        return Shifted(request, Delta, SampleCount);
    }

    public ModelUpdate Shifted(LocalTrainingRequest request, float delta, int sampleCount)
    {
        WeightSet global = TestData.Weights(request.GlobalWeights);
        var update = new WeightSet();
        foreach (NamedTensor tensor in global.Except(request.FrozenLayers))
        {
            update.Add(tensor.Name, tensor.Shape, tensor.Data.Select(v => v + delta).ToArray());
        }

        return new ModelUpdate(PartnerId, request.Round, sampleCount, TestData.Bytes(update), 0.5, new EvaluationResult(0.4, 0.8, 20));
    }

    public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) =>
        Task.FromResult(new EvaluationResult(0.3, 0.9, 20));

    public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        throw new NotSupportedException();

    public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => throw new NotSupportedException();

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => Task.FromResult(true);

    public Task DeleteDomainAsync(string domainId, CancellationToken ct) => Task.CompletedTask;

    public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
        throw new NotSupportedException();
}
