using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.Jobs;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Components;

public sealed class FederationRoundsPanelTests : PortalComponentTest
{
    private static RoundMetric Metric(int round, string partner, double? epsilon, long toPartner = 4096, long fromPartner = 1024, string? rejected = null) => new()
    {
        Round = round,
        PartnerName = partner,
        Epsilon = epsilon,
        BytesToPartner = toPartner,
        BytesFromPartner = fromPartner,
        Dropped = rejected is not null,
        Rejected = rejected is not null,
        DropReason = rejected,
    };

    private static readonly FederationSettings Private = new()
    {
        Strategy = AggregationStrategyKind.FedAdam,
        Privacy = new DifferentialPrivacySettings { Delta = 1e-5, EpsilonBudget = 10 },
        UpdateEncoding = UpdateEncodingKind.ScaledByte,
    };

    [Fact]
    public void Epsilon_ShowsTheLatestRoundsValue_AndFollowsNewRounds()
    {
        var cut = Render<FederationRoundsPanel>(p => p.Add(c => c.Settings, Private).Add(c => c.Rounds, [Metric(1, "A", 1.25), Metric(1, "B", 1.25)]));
        Assert.Contains("ε = 1.25", cut.Find("#job-epsilon").TextContent, StringComparison.Ordinal);
        Assert.Contains("after round 1", cut.Find("#job-epsilon").TextContent, StringComparison.Ordinal);

        // The page passes the reloaded rounds after each round event.
        cut.Render(p => p.Add(c => c.Rounds, [Metric(1, "A", 1.25), Metric(2, "A", 2.5)]));

        Assert.Contains("ε = 2.5", cut.Find("#job-epsilon").TextContent, StringComparison.Ordinal);
        Assert.Contains("of a budget of 10", cut.Find("#job-epsilon").TextContent, StringComparison.Ordinal);
        Assert.Contains("FedAdam (η = 0.01)", cut.Find("#job-strategy").TextContent, StringComparison.Ordinal);
        Assert.Contains("int8", cut.Find("#job-strategy").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Traffic_SumsEachPartnersRounds_AndListsRejectedUpdatesWithTheirReason()
    {
        var rounds = new[] { Metric(1, "A", null), Metric(2, "A", null), Metric(1, "B", null, fromPartner: 512, rejected: "update rejected: the update's norm 9.1 exceeds the bound 5.") };
        var cut = Render<FederationRoundsPanel>(p => p.Add(c => c.Settings, new FederationSettings()).Add(c => c.Rounds, rounds));

        var rows = cut.FindAll("[data-testid=traffic-row]").Select(r => r.QuerySelectorAll("th, td").Select(c => c.TextContent).ToList()).ToList();
        Assert.Equal(["A", "8.0 KiB", "2.0 KiB", "0"], rows[0]);
        Assert.Equal(["B", "4.0 KiB", "0.5 KiB", "1"], rows[1]);
        Assert.Equal("Round 1, B: update rejected: the update's norm 9.1 exceeds the bound 5.", cut.Find("[data-testid=rejected-update]").TextContent.Trim());
        Assert.Empty(cut.FindAll("#job-epsilon"));
    }
}
