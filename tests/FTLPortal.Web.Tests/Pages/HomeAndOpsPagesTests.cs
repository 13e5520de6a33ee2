using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Operations;
using FTLPortal.Core.Security;
using FTLPortal.Web.Home;
using FTLPortal.Web.Ops;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

public sealed class HomeAndOpsPagesTests : PortalComponentTest
{
    private readonly FakeJobService _jobs;
    private readonly FakeOpsOverview _overview;

    public HomeAndOpsPagesTests()
    {
        _jobs = Services.GetRequiredService<FakeJobService>();
        _overview = Services.GetRequiredService<FakeOpsOverview>();
    }

    [Fact]
    public void Home_WelcomesByDisplayName_AndNamesThePartner()
    {
        var cut = RenderPage<HomePage>(Named(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), "Northwind Admin", "Northwind"));

        Assert.Equal("Welcome, Northwind Admin", cut.Find("h1").TextContent);
        Assert.Contains("You act for Northwind.", cut.Find(".ftl-subtitle").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_OffersOnlyTheSectionsThePartnerAdminMayOpen_AndExplainsTheRest()
    {
        var cut = RenderPage<HomePage>(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        var sections = cut.FindAll(".ftl-section-title a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/domains", "/jobs", "/agent-keys"], sections);

        cut.Find("#access-toggle").Click();

        var items = cut.FindAll("#access-panel li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(4, items.Count);
        Assert.StartsWith("Allowed:", items[0], StringComparison.Ordinal);
        Assert.Contains("Register and manage domains", items[0], StringComparison.Ordinal);
        Assert.All(items.Skip(1), i => Assert.StartsWith("Not allowed:", i, StringComparison.Ordinal));
        Assert.Contains("Roles: PartnerAdmin", cut.Find("#access-panel").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_ShowsOpsTheOpsSection_ButNotTheScience()
    {
        var cut = RenderPage<HomePage>(TestUsers.WithRole(PortalRoles.Ops));

        var sections = cut.FindAll(".ftl-section-title a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/ops", sections);
        Assert.DoesNotContain("/similarity", sections);
        Assert.DoesNotContain("/models", sections);
        Assert.DoesNotContain("You act for", cut.Find(".ftl-subtitle").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Ops_ShowsCountsAgentsAndTheRoundsOfEachJob()
    {
        var running = Job("clinics fine-tune", JobStatus.Running, round: 2, of: 5);
        var done = Job("similarity nightly", JobStatus.Completed);
        _jobs.Jobs.AddRange([running, done]);
        var now = DateTimeOffset.UtcNow;
        _overview.Snapshot = new OpsSnapshot(
            new Dictionary<JobStatus, int> { [JobStatus.Running] = 1, [JobStatus.Completed] = 14, [JobStatus.Failed] = 2 },
            [],
            [new AgentHealth(TestUsers.NorthPartner, "Northwind", now.AddSeconds(-20), null), new AgentHealth(TestUsers.SouthPartner, "Contoso", now.AddMinutes(-3), "connection refused")],
            3,
            "/hangfire",
            now);

        var cut = RenderPage<OpsPage>(TestUsers.WithRole(PortalRoles.Ops));

        Assert.Equal("1", cut.Find("[data-testid=ops-count-running] [data-testid=ops-count-value]").TextContent);
        Assert.Equal("14", cut.Find("[data-testid=ops-count-completed] [data-testid=ops-count-value]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=ops-count-failed] [data-testid=ops-count-value]").TextContent);
        Assert.Equal("Recurring schedules: 3.", cut.Find("[data-testid=ops-recurring]").TextContent);
        Assert.Equal(["Northwind", "Contoso"], cut.FindAll("[data-testid=ops-agent-row]").Select(td => td.TextContent));
        Assert.Contains("Last call failed", cut.Find("#ops-agents").TextContent, StringComparison.Ordinal);
        Assert.Equal("2/5", cut.Find($"[data-testid=ops-rounds-{running.Id}]").TextContent);
        // Only queued and running jobs can be cancelled.
        Assert.NotNull(cut.Find($"#ops-cancel-{running.Id}"));
        Assert.Empty(cut.FindAll($"#ops-cancel-{done.Id}"));
    }

    [Fact]
    public void Ops_CancelsARunningJob()
    {
        var running = Job("clinics fine-tune", JobStatus.Running, round: 1, of: 5);
        _jobs.Jobs.Add(running);

        var cut = RenderPage<OpsPage>(TestUsers.WithRole(PortalRoles.Ops));
        cut.Find($"#ops-cancel-{running.Id}").Click();

        Assert.Equal([running.Id], _jobs.Cancelled);
    }

    [Fact]
    public void Ops_ShowsWhereEachAgentRuns_AndARemoteAgentsConnection()
    {
        var now = DateTimeOffset.UtcNow;
        _overview.Snapshot = new OpsSnapshot(new Dictionary<JobStatus, int>(), [],
            [
                new AgentHealth(Guid.NewGuid(), "Northwind", now, null),
                new AgentHealth(Guid.NewGuid(), "Contoso", now, null) { IsRemote = true, ConnectedSince = now.AddMinutes(-5) },
                new AgentHealth(Guid.NewGuid(), "Fabrikam", now.AddHours(-1), null) { IsRemote = true, DisconnectedAt = now.AddMinutes(-2) },
                new AgentHealth(Guid.NewGuid(), "Tailspin", null, null) { IsRemote = true },
            ],
            0, "/hangfire", now);

        var cut = RenderPage<OpsPage>(TestUsers.WithRole(PortalRoles.Ops));

        Assert.Equal(["In the portal", "At the partner's site", "At the partner's site", "At the partner's site"],
            cut.FindAll("[data-testid=ops-agent-mode]").Select(td => td.TextContent));
        var connections = cut.FindAll("[data-testid=ops-agent-connection]").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("—", connections[0]);
        Assert.StartsWith("Connected since", connections[1], StringComparison.Ordinal);
        Assert.StartsWith("Disconnected", connections[2], StringComparison.Ordinal);
        Assert.Equal("Not connected", connections[3]);
    }

    [Fact]
    public void Ops_SaysWhatWentWrong_WhenTheOverviewCannotBeRead()
    {
        _overview.Failure = new InvalidOperationException("database is locked");

        var cut = RenderPage<OpsPage>(TestUsers.WithRole(PortalRoles.Ops));

        Assert.Equal("Could not read the jobs: database is locked", cut.Find("[data-testid=ops-error]").TextContent.Trim());
        Assert.Contains("No partners yet.", cut.Find("#ops-agents").TextContent, StringComparison.Ordinal);
    }

    private static PortalJob Job(string name, JobStatus status, int round = 0, int of = 0) => new()
    {
        Name = name, Kind = of > 0 ? JobKind.FineTuning : JobKind.Similarity, ParametersJson = "{}", Status = status,
        CurrentRound = round, TotalRounds = of, Progress = of > 0 ? round / (double)of : 1, CreatedBy = "scientist@ftl.local",
    };

    private static ClaimsPrincipal Named(ClaimsPrincipal user, string displayName, string partnerName)
    {
        var identity = (ClaimsIdentity)user.Identity!;
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, displayName));
        identity.AddClaim(new Claim(PortalClaimTypes.PartnerName, partnerName));
        return user;
    }

    private IRenderedComponent<TPage> RenderPage<TPage>(ClaimsPrincipal user)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        Render<TPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
}
