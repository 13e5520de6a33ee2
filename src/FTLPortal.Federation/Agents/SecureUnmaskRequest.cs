namespace FTLPortal.Federation.Agents;

/// <summary>
/// Secure aggregation, step 3: the clients whose masked inputs arrived. The agent answers with its shares of their
/// self-mask seeds and of the mask keys of those that dropped, once per session: a second request naming other
/// survivors is refused (answering both could reveal one client's update).
/// </summary>
public sealed record SecureUnmaskRequest(SecureSession Session, IReadOnlyList<int> Survivors);
