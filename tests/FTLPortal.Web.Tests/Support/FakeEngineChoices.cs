using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>The engines a component test's portal has (the built-in one unless a test sets more) and what each partner's agent offers.</summary>
public sealed class FakeEngineChoices : IEngineChoices
{
    public IReadOnlyList<EngineChoice> Available { get; set; } = [new(FineTuningParameters.BuiltInEngine, "FTLPortal.Learning test")];

    /// <summary>Every partner's offer; none unless a test sets them.</summary>
    public IReadOnlyList<PartnerEngineOffer> Offers { get; set; } = [];

    public Task<IReadOnlyList<PartnerEngineOffer>> OffersAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PartnerEngineOffer>>([.. Offers.Where(o => user.CanSeeDomainsOf(o.PartnerId))]);
}
