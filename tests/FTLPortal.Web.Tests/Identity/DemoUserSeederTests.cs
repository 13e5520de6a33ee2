using System.Security.Claims;
using AngleSharp.Html.Parser;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Identity;

public sealed class DemoUserSeederTests : IDisposable
{
    private readonly PortalFactory _factory = new() { SeedDemo = false };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task SeedAsync_Twice_CreatesEachRoleAndUserOnce()
    {
        var partners = await _factory.AddPartnersAsync(("northwind", "Northwind Traders"), ("contoso", "Contoso"));

        await _factory.SeedUsersAsync(partners);
        await _factory.SeedUsersAsync(partners);

        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        Assert.Equal(PortalRoles.All.Order(), roles.Roles.Select(r => r.Name!).ToList().Order());
        Assert.Equal(
            ["admin@ftl.local", "contoso-admin@ftl.local", "northwind-admin@ftl.local", "ops@ftl.local", "scientist@ftl.local"],
            users.Users.Select(u => u.Email!).ToList().Order());
        var northwindAdmin = await users.FindByEmailAsync("northwind-admin@ftl.local");
        Assert.Equal(partners[0].Id, northwindAdmin!.PartnerId);
        Assert.Equal([PortalRoles.PartnerAdmin], await users.GetRolesAsync(northwindAdmin));
        Assert.Equal([PortalRoles.Ops], await users.GetRolesAsync((await users.FindByEmailAsync("ops@ftl.local"))!));
        Assert.Null((await users.FindByEmailAsync("scientist@ftl.local"))!.PartnerId);
    }

    [Fact]
    public async Task ClaimsFactory_AddsPartnerAndDisplayName_BesideRoles()
    {
        var partners = await _factory.AddPartnersAsync(("fabrikam", "Fabrikam"));
        await _factory.SeedUsersAsync(partners);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var claimsFactory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>();

        var principal = await claimsFactory.CreateAsync((await users.FindByEmailAsync("fabrikam-admin@ftl.local"))!);

        Assert.IsType<PortalUserClaimsPrincipalFactory>(claimsFactory);
        Assert.Equal(partners[0].Id.ToString(), principal.FindFirstValue(PortalClaimTypes.PartnerId));
        Assert.Equal("Fabrikam", principal.FindFirstValue(PortalClaimTypes.PartnerName));
        Assert.Equal("Fabrikam Admin", principal.FindFirstValue(PortalClaimTypes.DisplayName));
        Assert.True(principal.IsInRole(PortalRoles.PartnerAdmin));

        var staff = await claimsFactory.CreateAsync((await users.FindByEmailAsync("ops@ftl.local"))!);
        Assert.Null(staff.FindFirst(PortalClaimTypes.PartnerId));
    }

    [Fact]
    public async Task PartnerAdmin_SignedIn_SeesTheirPartnerInTheHeader()
    {
        var partners = await _factory.AddPartnersAsync(("northwind", "Northwind Traders"));
        await _factory.SeedUsersAsync(partners);
        using var client = await _factory.CreateSignedInClientAsync("northwind-admin@ftl.local");

        var html = await client.GetStringAsync("/");

        var document = new HtmlParser().ParseDocument(html);
        Assert.Equal("Northwind Traders Admin", document.QuerySelector("#current-user")?.TextContent.Trim());
        Assert.Equal("Northwind Traders", document.QuerySelector("#current-partner")?.TextContent.Trim());
    }
}
