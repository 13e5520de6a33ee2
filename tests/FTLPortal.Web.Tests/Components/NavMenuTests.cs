using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Security;
using FTLPortal.Web.Layout;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;

namespace FTLPortal.Web.Tests.Components;

public sealed class NavMenuTests : PortalComponentTest
{

    [Theory]
    [InlineData(PortalRoles.Admin, "/,/domains,/similarity,/models,/jobs,/agent-keys,/ops,/admin")]
    [InlineData(PortalRoles.Ops, "/,/domains,/jobs,/ops")]
    [InlineData(PortalRoles.DataScientist, "/,/domains,/similarity,/models,/jobs")]
    [InlineData(PortalRoles.PartnerAdmin, "/,/domains,/jobs,/agent-keys")]
    public void NavMenu_ShowsTheSectionsTheRoleMayOpen(string role, string expectedPaths)
    {
        var cut = RenderFor(TestUsers.WithRole(role));

        var links = cut.FindAll("a[href]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(expectedPaths.Split(','), links);
    }

    [Fact]
    public void NavMenu_ShowsNothing_ToAnonymousUsers()
    {
        var cut = RenderFor(TestUsers.Anonymous);

        Assert.Empty(cut.FindAll("a[href]"));
    }

    [Fact]
    public void NavMenu_LabelsLinksWithSectionTitles_InANamedNavigation()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Ops));

        Assert.Contains("Ops", cut.Find("a[href='/ops']").TextContent, StringComparison.Ordinal);
        Assert.Equal("Sections", cut.Find("nav").GetAttribute("aria-label"));
    }

    private IRenderedComponent<NavMenu> RenderFor(ClaimsPrincipal user) =>
        Render<NavMenu>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
}
