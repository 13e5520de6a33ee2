using FTLPortal.Federation.SecureAggregation;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// Secure aggregation, step 1: the roster of every client's public keys; the agent answers with its Shamir shares (of
/// its self-mask seed and mask private key), sealed for each other client, which the coordinator only routes.
/// </summary>
public sealed record SecureSharesRequest(SecureSession Session, IReadOnlyList<KeyAdvertisement> Roster);
