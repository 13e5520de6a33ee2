namespace FTLPortal.Federation.Remote;

/// <summary>
/// An agent's answer on the channel: the result as JSON, or a fault (its <see cref="AgentFaults"/> kind and message), so the
/// portal raises the same exception an in-process agent would (bad input stays bad input, not a broken agent).
/// </summary>
public sealed record AgentReply(string? Result, string? FaultKind, string? Fault);
