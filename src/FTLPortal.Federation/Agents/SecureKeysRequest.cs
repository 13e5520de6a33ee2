namespace FTLPortal.Federation.Agents;

/// <summary>
/// Secure aggregation, step 0: the coordinator gives the agent its client id in the round (1…255, a Shamir x-coordinate)
/// and the reconstruction threshold; the agent answers with fresh public keys.
/// </summary>
public sealed record SecureKeysRequest(SecureSession Session, int ClientId, int Threshold);
