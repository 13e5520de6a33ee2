using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.ModelCards;

/// <summary>How the job federated, as the card states it: strategy, secure aggregation, DP and its final ε, encoding, traffic, heads.</summary>
internal sealed record FederationCardFacts(
    string Strategy,
    bool SecureAggregation,
    DifferentialPrivacySettings? Privacy,
    double? FinalEpsilon,
    UpdateEncodingKind UpdateEncoding,
    PersonalizationKind Personalization,
    IReadOnlyList<string> PersonalLayers,
    IReadOnlyList<PartnerFederationLine> Partners)
{
    public long TotalBytes => Partners.Sum(p => p.BytesToPartner + p.BytesFromPartner);

    public static FederationCardFacts From(
        FederationSettings settings, IReadOnlyList<ModelLayer> layers, IReadOnlyList<string> frozen, IReadOnlyList<RoundMetric> metrics, IReadOnlyList<PartnerResult> results,
        IReadOnlyList<Core.Jobs.Evaluation.DomainEvaluation>? domains = null)
    {
        var personal = FederationLayerPlan.PersonalLayers(layers, frozen.ToHashSet(StringComparer.Ordinal), settings);
        var partners = metrics.GroupBy(m => m.PartnerName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new PartnerFederationLine(
            g.Key,
            g.Sum(m => m.BytesToPartner),
            g.Sum(m => m.BytesFromPartner),
            g.Count(m => m.Rejected),
            personal,
            personal.Count > 0 ? results.FirstOrDefault(r => r.PartnerName == g.Key)?.FederatedAccuracy : null)
        {
            HeadClasses = domains?.FirstOrDefault(d => d.PartnerName == g.Key)?.OwnHeadClasses,
            HeadBalancedAccuracy = personal.Count > 0 ? domains?.FirstOrDefault(d => d.PartnerName == g.Key)?.Federated?.BalancedAccuracy.Value : null,
            NegativeTransferReaction = domains?.FirstOrDefault(d => d.PartnerName == g.Key)?.NegativeTransferReaction,
        }).ToList();
        var finalEpsilon = settings.Privacy is null ? null : metrics.Where(m => m.Epsilon is not null).OrderBy(m => m.Round).LastOrDefault()?.Epsilon;
        return new FederationCardFacts(settings.Describe(), settings.SecureAggregation, settings.Privacy, finalEpsilon, settings.UpdateEncoding, settings.Personalization, personal, partners);
    }
}
