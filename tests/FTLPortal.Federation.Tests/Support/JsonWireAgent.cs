using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>
/// A real agent reached as an HTTP agent would be: every secure aggregation request and answer (and every evaluation)
/// crosses as JSON text with the wire settings, so only what the records carry gets through.
/// </summary>
internal sealed class JsonWireAgent(IFederatedAgent inner) : ForwardingAgent(inner)
{
    private long _jsonBytes;

    public long JsonBytes => Interlocked.Read(ref _jsonBytes);

    public override async Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) =>
        Wire(await Inner.AdvertiseKeysAsync(Wire(request), ct));

    public override async Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        Wire(await Inner.ShareKeysAsync(Wire(request), ct));

    public override async Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) =>
        Wire(await Inner.TrainMaskedAsync(Wire(request), ct));

    public override async Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) =>
        Wire(await Inner.UnmaskAsync(Wire(request), ct));

    public override async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) =>
        Wire(await Inner.EvaluateAsync(Wire(request), ct));

    private T Wire<T>(T value)
    {
        string json = JsonSerializer.Serialize(value, FederationJson.Options);
        Interlocked.Add(ref _jsonBytes, json.Length);

        return JsonSerializer.Deserialize<T>(json, FederationJson.Options) ?? throw new JsonException($"{typeof(T).Name} came back null.");
    }
}
