using FTLPortal.Core.Security;

namespace FTLPortal.Core.Jobs;

/// <summary>The training engines this portal has (the built-in one always; TorchSharp when its plug-in loaded) and which of them each partner's agent offers.</summary>
public interface IEngineChoices
{
    /// <summary>By name, the built-in engine first.</summary>
    IReadOnlyList<EngineChoice> Available { get; }

    /// <summary>The engines each partner's agent offers, for the partners <paramref name="user"/> may see (by partner name).</summary>
    Task<IReadOnlyList<PartnerEngineOffer>> OffersAsync(PortalUserContext user, CancellationToken cancellationToken);
}
