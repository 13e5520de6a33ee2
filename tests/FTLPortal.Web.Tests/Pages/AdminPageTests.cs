using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Administration;
using FTLPortal.Core.Security;
using FTLPortal.Web.Admin;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FTLPortal.Web.Tests.Pages;

public sealed class AdminPageTests : PortalComponentTest
{
    private readonly FakePortalAdministration _administration;

    public AdminPageTests()
    {
        _administration = Services.GetRequiredService<FakePortalAdministration>();
        var north = new PartnerRow(TestUsers.NorthPartner, "North Clinic", "north", 1, 2, DateTimeOffset.UnixEpoch);
        _administration.Partners.Add(north);
        _administration.Users.Add(new UserRow("u1", "admin@ftl.local", "Portal Admin", PortalRoles.Admin, null, null, false));
        _administration.Users.Add(new UserRow("u2", "north-admin@ftl.local", "North Admin", PortalRoles.PartnerAdmin, north.Id, north.Name, false));
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void Admin_SeesPartnersAndUsers()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));

        Assert.Equal("Administration", cut.Find("h1").TextContent);
        Assert.Equal(["North Clinic"], cut.FindAll("[data-testid=partner-name]").Select(e => e.TextContent));
        Assert.Equal(["admin@ftl.local", "north-admin@ftl.local"], cut.FindAll("[data-testid=user-email]").Select(e => e.TextContent));
        Assert.Equal(["Admin", "Partner admin"], cut.FindAll("[data-testid=user-role]").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll("#role-notice"));
    }

    [Theory]
    [InlineData(PortalRoles.Ops)]
    [InlineData(PortalRoles.DataScientist)]
    [InlineData(PortalRoles.PartnerAdmin)]
    public void OtherRoles_SeeTheRoleNotice_AndNoConsole(string role)
    {
        var cut = RenderFor(TestUsers.WithRole(role, role == PortalRoles.PartnerAdmin ? TestUsers.NorthPartner : null));

        Assert.Contains("is not available to your role", cut.Find("#role-notice").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#federation-form"));
        Assert.Empty(cut.FindAll("[data-testid=user-email]"));
    }

    [Fact]
    public void NewFederation_SendsEveryRow_AndShowsTheIssuedPasswordsOnce()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));
        cut.Find("#federation-count").Input("3");
        Assert.Equal(3, cut.FindAll("[id^=federation-name-]").Count);
        for (var i = 0; i < 3; i++)
        {
            cut.Find($"#federation-name-{i}").Input($"Clinic {i}");
            cut.Find($"#federation-email-{i}").Input($"clinic{i}@example.org");
        }

        cut.Find("#federation-form").Submit();

        var request = Assert.Single(_administration.FederationRequests);
        Assert.Equal(["Clinic 0", "Clinic 1", "Clinic 2"], request.Select(r => r.Name));
        Assert.Equal(["clinic0@example.org", "clinic1@example.org", "clinic2@example.org"], request.Select(r => r.AdminEmail));
        cut.WaitForAssertion(() => Assert.Equal(["Federation-Password-1", "Federation-Password-2", "Federation-Password-3"], cut.FindAll("[data-testid=issued-password]").Select(e => e.TextContent)));
        Assert.Contains("Clinic 2", cut.FindAll("[data-testid=partner-name]").Select(e => e.TextContent));

        cut.Find("#issued-credentials button").Click();

        Assert.Empty(cut.FindAll("[data-testid=issued-password]"));
    }

    [Fact]
    public void Submit_IsDisabledWhileTheRequestIsInFlight_AndARefusalIsShown()
    {
        _administration.Gate = new TaskCompletionSource();
        _administration.FailWith = "A partner named 'North Clinic' exists already (names are compared ignoring case). Nothing was stored.";
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));
        cut.Find("#partner-name").Input("north clinic");

        cut.Find("#partner-form").Submit();

        Assert.True(cut.Find("#partner-create").HasAttribute("disabled"));
        _administration.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.Contains("exists already", cut.Find("#admin-error").TextContent, StringComparison.Ordinal));
        Assert.False(cut.Find("#partner-create").HasAttribute("disabled"));
        Assert.Single(_administration.Partners);
    }

    [Fact]
    public void ResetPassword_AsksFirst_ThenShowsTheNewPassword()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));

        cut.FindAll("[data-testid=user-reset]")[1].Click();
        Assert.Contains("north-admin@ftl.local", cut.WaitForElement("#user-reset-confirm").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=issued-password]"));
        cut.Find("#user-reset-yes").Click();

        cut.WaitForAssertion(() => Assert.Equal("Reset-Password-1", cut.Find("[data-testid=issued-password]").TextContent));
        Assert.Equal("north-admin@ftl.local", cut.Find("[data-testid=issued-email]").TextContent);
    }

    [Fact]
    public void Disable_AsksFirst_ThenShowsTheUserAsDisabled()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));

        var buttons = cut.FindAll("[data-testid=user-disable]");
        Assert.True(buttons.Count == 2, cut.Find("#admin-users").OuterHtml);
        buttons[1].Click();
        cut.WaitForElement("#user-disable-yes").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Active", "Disabled"], cut.FindAll("[data-testid=user-status]").Select(e => e.TextContent.Trim())));
        Assert.Single(cut.FindAll("[data-testid=user-enable]"));
    }

    private IRenderedComponent<AdminPage> RenderFor(ClaimsPrincipal user) =>
        Render<AdminPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
}
