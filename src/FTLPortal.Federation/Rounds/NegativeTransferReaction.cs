using System.Globalization;
using FTLPortal.Learning.Metrics;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// A participant flagged for negative transfer after <see cref="Round"/>, the numbers that flagged it, and whether
/// <see cref="Response"/> was applied (a participant cannot leave below the minimum of participants).
/// </summary>
public sealed record NegativeTransferReaction(
    string PartnerId, string DomainId, int Round, NegativeTransferResponse Response, MetricEstimate Federated, MetricEstimate LocalOnly, bool Applied)
{
    /// <summary>E.g. "left after round 7: federated 61.2 % [55.0 %, 67.3 %] below local-only 70.1 % [64.4 %, 75.9 %] (validation balanced accuracy)".</summary>
    public string Describe()
    {
        string what = !Applied ? $"was flagged after round {Round} but stayed (leaving would leave too few partners)"
            : Response == NegativeTransferResponse.Leave ? $"left after round {Round} for its local-only model"
            : $"switched to its own head after round {Round}";
        return $"{what}: federated {Format(Federated)} below local-only {Format(LocalOnly)} (validation balanced accuracy)";
    }

    private static string Format(MetricEstimate m) =>
        Percent(m.Value) + (m.Lower is { } lo && m.Upper is { } hi ? $" [{Percent(lo)}, {Percent(hi)}]" : "");

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
