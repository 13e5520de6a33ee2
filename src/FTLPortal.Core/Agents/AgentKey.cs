namespace FTLPortal.Core.Agents;

/// <summary>
/// A partner's key for its remote agent. Only the SHA-256 of the secret is stored (the secret is shown once, at creation),
/// with a short visible prefix so people can tell keys apart. A revoked key stays listed and is refused.
/// </summary>
public sealed class AgentKey
{
    public const int MaxNameLength = 100;

    /// <summary>Most keys (revoked ones included) one partner may hold.</summary>
    public const int MaxPerPartner = 50;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid PartnerId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the secret (not enough to guess the rest).</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole secret.</summary>
    public required string SecretHash { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
