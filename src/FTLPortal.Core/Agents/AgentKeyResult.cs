namespace FTLPortal.Core.Agents;

/// <summary>The outcome of an agent-key action: the value, or why nothing changed (bad input, or a partner or key the user may not see).</summary>
public sealed record AgentKeyResult<T>(T? Value, string? Error, bool NotFound)
    where T : class
{
    public bool Succeeded => Value is not null;
}
