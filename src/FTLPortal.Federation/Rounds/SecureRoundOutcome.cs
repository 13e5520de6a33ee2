using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// One attempt of a secure round: each selected participant's part (metrics, no update), the unmasked sample-weighted
/// mean (null when the attempt aborted, with <see cref="Failure"/> saying why) and the protocol's bytes beyond the global
/// model sent down.
/// </summary>
internal sealed record SecureRoundOutcome(IReadOnlyList<ClientOutcome> Clients, WeightSet? Mean, long ProtocolBytes, string? Failure);
