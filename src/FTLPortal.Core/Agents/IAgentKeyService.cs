using FTLPortal.Core.Security;

namespace FTLPortal.Core.Agents;

/// <summary>
/// Creating, listing and revoking a partner's agent keys: its own partner admin or an admin. Anyone else gets
/// <see cref="AgentKeyResult{T}.NotFound"/>, as for a partner that does not exist.
/// </summary>
public interface IAgentKeyService
{
    Task<AgentKeyResult<IReadOnlyList<AgentKeyRow>>> ListAsync(PortalUserContext user, Guid partnerId, CancellationToken cancellationToken);

    Task<AgentKeyResult<IssuedAgentKey>> CreateAsync(PortalUserContext user, Guid partnerId, string? name, CancellationToken cancellationToken);

    /// <summary>Revokes the key at once (an agent connected with it is disconnected); revoking a revoked key changes nothing.</summary>
    Task<AgentKeyResult<AgentKeyRow>> RevokeAsync(PortalUserContext user, Guid partnerId, Guid keyId, CancellationToken cancellationToken);
}
