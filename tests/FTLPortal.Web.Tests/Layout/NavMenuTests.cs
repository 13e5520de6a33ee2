using System.Security.Claims;
using FTLPortal.Core.Security;
using FTLPortal.Web.Layout;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace FTLPortal.Web.Tests.Layout;

public sealed class NavMenuTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging()
        .AddAuthorizationCore(PortalPolicies.Add)
        .AddSingleton<NavigationManager>(new StaticNavigationManager())
        .AddSingleton<IJSRuntime, UnavailableJSRuntime>()
        .BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(PortalRoles.Admin, "/,/domains,/similarity,/models,/jobs,/ops")]
    [InlineData(PortalRoles.Ops, "/,/domains,/jobs,/ops")]
    [InlineData(PortalRoles.DataScientist, "/,/domains,/similarity,/models,/jobs")]
    [InlineData(PortalRoles.PartnerAdmin, "/,/domains,/jobs")]
    public async Task NavMenu_ShowsTheSectionsTheRoleMayOpen(string role, string expectedPaths)
    {
        var document = await ComponentRenderer.RenderAsync<NavMenu>(_services, User(role));

        var links = document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(expectedPaths.Split(','), links);
    }

    [Fact]
    public async Task NavMenu_ShowsNothingToAnonymousUsers()
    {
        var document = await ComponentRenderer.RenderAsync<NavMenu>(_services, new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.Empty(document.QuerySelectorAll("a[href]"));
    }

    [Fact]
    public async Task NavMenu_LabelsLinksWithSectionTitles()
    {
        var document = await ComponentRenderer.RenderAsync<NavMenu>(_services, User(PortalRoles.Ops));

        var ops = document.QuerySelector("a[href='/ops']");
        Assert.NotNull(ops);
        Assert.Contains("Ops", ops.TextContent, StringComparison.Ordinal);
    }

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone@ftl.local"), new Claim(ClaimTypes.Role, role)], authenticationType: "Test"));
}
