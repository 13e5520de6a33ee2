using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Web.Layout;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Components;

/// <summary>The signed-in shell: who is signed in, the navigation for the role, and the notifications bell.</summary>
public sealed class LayoutTests : PortalComponentTest
{
    private readonly FakeJobService _jobs;
    private readonly FakeJobNotifier _notifier;

    public LayoutTests()
    {
        _jobs = Services.GetRequiredService<FakeJobService>();
        _notifier = Services.GetRequiredService<FakeJobNotifier>();
    }

    [Fact]
    public void MainLayout_ShowsTheUserAndPartner_AndTheNavigationForTheRole()
    {
        var user = TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner, "north-admin@ftl.local");
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(PortalClaimTypes.DisplayName, "Northwind Admin"));
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(PortalClaimTypes.PartnerName, "Northwind"));

        var cut = RenderLayout(user);

        Assert.Equal("Northwind Admin", cut.Find("#current-user").TextContent);
        Assert.Equal("Northwind", cut.Find("#current-partner").TextContent);
        Assert.Equal(["/", "/domains", "/jobs", "/agent-keys"], cut.FindAll("#nav-drawer nav a[href]").Select(a => a.GetAttribute("href")));
        Assert.Equal("page body", cut.Find("#main-content").TextContent.Trim());
        Assert.NotNull(cut.Find("#signout"));
    }

    [Fact]
    public void MainLayout_ShowsNoPartner_ToCoordinatorStaff()
    {
        var cut = RenderLayout(TestUsers.WithRole(PortalRoles.Ops, email: "ops@ftl.local"));

        Assert.Equal("ops@ftl.local", cut.Find("#current-user").TextContent);
        Assert.Empty(cut.FindAll("#current-partner"));
        Assert.Contains("/ops", cut.FindAll("#nav-drawer nav a[href]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Notifications_CountOutcomesOfTheUsersPartner_AndIgnoreOtherPartnersJobs()
    {
        var cut = RenderMenu(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));
        cut.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));
        Assert.Equal("Notifications", MenuLabel(cut));

        _notifier.Publish(Outcome("clinics v2", JobStatus.Completed, TestUsers.NorthPartner));
        _notifier.Publish(Outcome("contoso only", JobStatus.Failed, TestUsers.SouthPartner));
        // Progress is not an outcome.
        _notifier.Publish(new JobEvent { JobId = Guid.NewGuid(), Kind = JobEventKind.RoundCompleted, JobName = "clinics v2", PartnerIds = [TestUsers.NorthPartner] });

        cut.WaitForAssertion(() => Assert.Equal("Notifications, 1 new", MenuLabel(cut)));
    }

    [Fact]
    public void Notifications_CountAJobTheUserRequested_OnceEvenIfTheEventRepeats()
    {
        var job = new PortalJob { Name = "similarity nightly", Kind = JobKind.Similarity, ParametersJson = "{}", CreatedBy = "scientist@ftl.local" };
        _jobs.Jobs.Add(job);
        var cut = RenderMenu(TestUsers.WithRole(PortalRoles.DataScientist, email: "scientist@ftl.local"));
        cut.WaitForAssertion(() => Assert.Equal(1, _notifier.SubscriberCount));

        var failed = Outcome(job.Name, JobStatus.Failed) with { JobId = job.Id };
        _notifier.Publish(failed);
        // At-least-once delivery: the same outcome again.
        _notifier.Publish(failed);

        cut.WaitForAssertion(() => Assert.Equal("Notifications, 1 new", MenuLabel(cut)));
    }

    private static JobEvent Outcome(string name, JobStatus status, params Guid[] partners) => new()
    {
        JobId = Guid.NewGuid(), Kind = JobEventKind.StatusChanged, Status = status, JobName = name, PartnerIds = partners,
    };

    private static string? MenuLabel(IRenderedComponent<JobNotificationsMenu> cut) =>
        cut.Find("#notifications-menu button").GetAttribute("aria-label");

    private IRenderedComponent<JobNotificationsMenu> RenderMenu(ClaimsPrincipal user) =>
        Render<JobNotificationsMenu>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));

    private IRenderedComponent<MainLayout> RenderLayout(ClaimsPrincipal user) =>
        Render<MainLayout>(p => p
            .AddCascadingValue(Task.FromResult(new AuthenticationState(user)))
            .Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
}
