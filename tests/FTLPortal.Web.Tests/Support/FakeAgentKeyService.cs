using FTLPortal.Core.Agents;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>In-memory agent keys for component tests; a name of "refuse" is refused as bad input.</summary>
public sealed class FakeAgentKeyService : IAgentKeyService
{
    public const string RefusedName = "refuse";

    public List<AgentKeyRow> Keys { get; } = [];

    public Task<AgentKeyResult<IReadOnlyList<AgentKeyRow>>> ListAsync(PortalUserContext user, Guid partnerId, CancellationToken cancellationToken) =>
        Task.FromResult(new AgentKeyResult<IReadOnlyList<AgentKeyRow>>(Keys.Where(k => k.PartnerId == partnerId).ToList(), null, false));

    public Task<AgentKeyResult<IssuedAgentKey>> CreateAsync(PortalUserContext user, Guid partnerId, string? name, CancellationToken cancellationToken)
    {
        if (name is null or RefusedName)
        {
            return Task.FromResult(new AgentKeyResult<IssuedAgentKey>(null, "Give the agent key a name of 1 to 100 characters.", false));
        }

        var row = new AgentKeyRow(Guid.NewGuid(), partnerId, name, "ftlak_abcdef", DateTimeOffset.UnixEpoch, null, null);
        Keys.Add(row);
        return Task.FromResult(new AgentKeyResult<IssuedAgentKey>(new IssuedAgentKey(row, "ftlak_abcdef-the-rest-of-the-secret"), null, false));
    }

    public Task<AgentKeyResult<AgentKeyRow>> RevokeAsync(PortalUserContext user, Guid partnerId, Guid keyId, CancellationToken cancellationToken)
    {
        var index = Keys.FindIndex(k => k.Id == keyId && k.PartnerId == partnerId);
        if (index < 0)
        {
            return Task.FromResult(new AgentKeyResult<AgentKeyRow>(null, "not found", true));
        }

        Keys[index] = Keys[index] with { RevokedAt = DateTimeOffset.UnixEpoch.AddDays(1) };
        return Task.FromResult(new AgentKeyResult<AgentKeyRow>(Keys[index], null, false));
    }
}
