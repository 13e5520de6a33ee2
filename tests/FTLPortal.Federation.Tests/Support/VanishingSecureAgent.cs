using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;

namespace FTLPortal.Federation.Tests.Support;

/// <summary>
/// A real agent whose site goes away at one step of secure aggregation: from <see cref="Step"/> on (in the attempts
/// listed in <see cref="Attempts"/>, every attempt when empty) each call fails as a dropped connection would; with no
/// step it never goes away. It counts the calls it received per step.
/// </summary>
internal sealed class VanishingSecureAgent(IFederatedAgent inner, SecureStep? step = null) : ForwardingAgent(inner)
{
    private readonly int[] _calls = new int[4];

    public SecureStep? Step { get; } = step;

    public IReadOnlySet<int> Attempts { get; init; } = new HashSet<int>();

    public int Calls(SecureStep step) => Volatile.Read(ref _calls[(int)step]);

    public override Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) =>
        Gate(SecureStep.AdvertiseKeys, request.Session, () => Inner.AdvertiseKeysAsync(request, ct));

    public override Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        Gate(SecureStep.ShareKeys, request.Session, () => Inner.ShareKeysAsync(request, ct));

    public override Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct) =>
        Gate(SecureStep.TrainMasked, request.Session, () => Inner.TrainMaskedAsync(request, ct));

    public override Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) =>
        Gate(SecureStep.Unmask, request.Session, () => Inner.UnmaskAsync(request, ct));

    private Task<T> Gate<T>(SecureStep at, SecureSession session, Func<Task<T>> call)
    {
        Interlocked.Increment(ref _calls[(int)at]);
        bool gone = Step is { } from && at >= from && (Attempts.Count == 0 || Attempts.Contains(session.Attempt));
        return gone ? throw new HttpRequestException($"Connection refused (agent gone at {at})") : call();
    }
}
