using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Administration;
using FTLPortal.Core.Agents;
using FTLPortal.Core.Security;
using FTLPortal.Web.Agents;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FTLPortal.Web.Tests.Pages;

public sealed class AgentKeysPageTests : PortalComponentTest
{
    private readonly FakeAgentKeyService _keys;

    public AgentKeysPageTests()
    {
        _keys = Services.GetRequiredService<FakeAgentKeyService>();
        _keys.Keys.Add(new AgentKeyRow(Guid.NewGuid(), TestUsers.NorthPartner, "north site", "ftlak_north1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), null));
        _keys.Keys.Add(new AgentKeyRow(Guid.NewGuid(), Guid.NewGuid(), "someone else's", "ftlak_other1", DateTimeOffset.UnixEpoch, null, null));
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void PartnerAdmin_SeesOnlyOwnPartnersKeys_WithPrefixNotSecret()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        Assert.Equal(["north site"], cut.FindAll("[data-testid=agent-key-name]").Select(e => e.TextContent));
        Assert.Equal(["ftlak_north1…"], cut.FindAll("[data-testid=agent-key-prefix]").Select(e => e.TextContent));
        Assert.Equal(["Active"], cut.FindAll("[data-testid=agent-key-state]").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=agent-key-secret]"));
    }

    [Fact]
    public void Create_ShowsTheSecretOnce_AndListsTheNewKey()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("#agent-key-name").Input("second site");
        cut.Find("#agent-key-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("ftlak_abcdef-the-rest-of-the-secret", cut.Find("[data-testid=agent-key-secret]").TextContent));
        Assert.Equal(["north site", "second site"], cut.FindAll("[data-testid=agent-key-name]").Select(e => e.TextContent));
        Assert.Equal(TestUsers.NorthPartner, _keys.Keys[^1].PartnerId);
    }

    [Fact]
    public void Create_ShowsTheServicesMessage_AndNoSecret_WhenTheNameIsRefused()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("#agent-key-name").Input(FakeAgentKeyService.RefusedName);
        cut.Find("#agent-key-form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Give the agent key a name", cut.Find("#agent-key-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=agent-key-secret]"));
        Assert.Single(cut.FindAll("[data-testid=agent-key-name]"));
    }

    [Fact]
    public void Revoke_ShowsTheKeyRevoked_AndOffersNoSecondRevoke()
    {
        var cut = RenderFor(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("[data-testid=agent-key-revoke]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Revoked"], cut.FindAll("[data-testid=agent-key-state]").Select(e => e.TextContent)));
        Assert.Empty(cut.FindAll("[data-testid=agent-key-revoke]"));
    }

    [Fact]
    public void Admin_SeesTheFirstPartnersKeys_AndAPartnerChoice()
    {
        Services.GetRequiredService<FakePortalAdministration>().Partners.Add(new PartnerRow(TestUsers.NorthPartner, "North Clinic", "north", 1, 0, DateTimeOffset.UnixEpoch));

        var cut = RenderFor(TestUsers.WithRole(PortalRoles.Admin));

        Assert.Single(cut.FindAll("#agent-key-partner"));
        Assert.Equal(["north site"], cut.FindAll("[data-testid=agent-key-name]").Select(e => e.TextContent));
    }

    private IRenderedComponent<AgentKeysPage> RenderFor(ClaimsPrincipal user) =>
        Render<AgentKeysPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));
}
