namespace FTLPortal.Core.Agents;

/// <summary>An agent key as pages and the API list it: never the secret or its hash.</summary>
public sealed record AgentKeyRow(
    Guid Id,
    Guid PartnerId,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    public static AgentKeyRow Of(AgentKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.PartnerId, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
    }
}
