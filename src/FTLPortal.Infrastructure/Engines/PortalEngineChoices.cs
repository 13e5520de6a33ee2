using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Engines;

/// <summary>
/// What the scheduling form and <c>GET /api/engines</c> offer: this portal's engines, and per partner the caller may see
/// (all for data scientists and admins, its own for a partner admin) the engines its agent offers, as the agent says.
/// </summary>
internal sealed class PortalEngineChoices(PortalEngines engines, AgentDirectory agents, IDbContextFactory<PortalDbContext> dbFactory) : IEngineChoices
{
    public IReadOnlyList<EngineChoice> Available => engines.Available;

    public async Task<IReadOnlyList<PartnerEngineOffer>> OffersAsync(PortalUserContext user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var partners = await db.Partners.AsNoTracking().Select(p => new { p.Id, p.Slug, p.Name }).ToListAsync(cancellationToken);
        return partners
            .Where(p => user.CanSeeDomainsOf(p.Id))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new PartnerEngineOffer(p.Id, p.Slug, p.Name, Ordered(agents.For(p.Id, p.Slug).EngineNames)))
            .ToList();
    }

    /// <summary>In the portal's order (the built-in engine first); names the portal lacks last, as the agent gave them.</summary>
    private List<string> Ordered(IReadOnlyList<string> offered)
    {
        var order = engines.Available.Select(e => e.Name).ToList();
        return [.. offered.OrderBy(n => order.FindIndex(o => string.Equals(o, n, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : int.MaxValue)];
    }
}
