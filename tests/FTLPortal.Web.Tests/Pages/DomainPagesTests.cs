using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Security;
using FTLPortal.Web.Domains;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

public sealed class DomainPagesTests : PortalComponentTest
{
    private static readonly string[] ClinicFeatures = ["age", "bmi", "systolic_bp", "glucose"];
    private static readonly string[] Outcomes = ["healthy", "at_risk", "diabetic"];

    private readonly FakeDomainService _domains;
    private readonly Domain _north;
    private readonly Domain _south;

    public DomainPagesTests()
    {
        _domains = Services.GetRequiredService<FakeDomainService>();
        _domains.AddPartner(TestUsers.NorthPartner, "Northwind");
        _domains.AddPartner(TestUsers.SouthPartner, "Contoso");
        _north = _domains.AddDomain(TestUsers.NorthPartner, "northwind-clinics", 1_200, ClinicFeatures, Outcomes);
        _south = _domains.AddDomain(TestUsers.SouthPartner, "contoso-hospital", 8_400, ClinicFeatures, Outcomes, consent: true);
    }

    [Fact]
    public void Domains_PartnerAdminSeesOnlyItsOwnDomains_AndRegistersForItsOwnPartner()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        Assert.Equal(["northwind-clinics"], cut.FindAll("[data-testid=domain-link]").Select(a => a.TextContent));
        Assert.DoesNotContain("contoso-hospital", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("#register-domain-form"));
        // One manageable partner: no partner to choose.
        Assert.Empty(cut.FindAll("#domain-partner"));
    }

    [Fact]
    public void Domains_ScientistSeesEveryDomain_ButCannotRegister()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.DataScientist));

        Assert.Equal(["northwind-clinics", "contoso-hospital"], cut.FindAll("[data-testid=domain-link]").Select(a => a.TextContent));
        Assert.Empty(cut.FindAll("#register-domain-form"));
    }

    [Fact]
    public void Domains_AdminChoosesThePartner_WhenRegistering()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.Admin));

        Assert.NotNull(cut.Find("#domain-partner"));
    }

    [Fact]
    public void Domains_SaysNoDomainsYet_WhenThePartnerHasNone()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.PartnerAdmin, Guid.NewGuid()));

        Assert.Empty(cut.FindAll("[data-testid=domain-link]"));
        Assert.Contains("No domains yet.", cut.Find("#domains-grid").TextContent, StringComparison.Ordinal);
        // A partner admin of a partner the portal does not list may not register for anyone.
        Assert.Empty(cut.FindAll("#register-domain-form"));
    }

    [Fact]
    public void Domains_RefusesAFileOverTheLimit_AndStoresNothing()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(new string('1', 1536 * 1024), "visits.csv"));
        cut.Find("#register-domain-form").Submit();

        var error = cut.Find("#upload-error").TextContent;
        Assert.Contains("The file is 1.5 MB; the limit is 1 MB.", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored.", error, StringComparison.Ordinal);
        Assert.Empty(_domains.Registrations);
    }

    [Fact]
    public void Domains_AsksForAFile_BeforeUploading()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("#register-domain-form").Submit();

        Assert.Equal("Choose a CSV file to upload.", cut.Find("#upload-error").TextContent.Trim());
        Assert.Empty(_domains.Registrations);
    }

    [Fact]
    public void Domains_RegistersForTheUsersPartner_AndOpensTheNewDomain()
    {
        var cut = RenderDomains(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner, "north-admin@ftl.local"));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("age,bmi,label\n41,22.5,healthy\n", "visits-2026.csv"));
        cut.Find("#register-domain-form").Submit();

        cut.WaitForAssertion(() => Assert.Single(_domains.Registrations));
        var registration = _domains.Registrations[0];
        Assert.Equal(TestUsers.NorthPartner, registration.PartnerId);
        Assert.Equal("visits-2026", registration.Name);
        Assert.Equal("north-admin@ftl.local", registration.RegisteredBy);
        var created = _domains.Domains.Single(d => d.Name == "visits-2026");
        Assert.EndsWith($"/domains/{created.Id}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainDetail_OwnerGrantsConsent_AndSeesItSaved()
    {
        var cut = RenderDomain(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _north.Id);
        Assert.True(cut.Find("#consent-save").HasAttribute("disabled"));

        cut.Find("#consent-similarity").Change(true);
        cut.Find("#consent-save").Click();

        Assert.True(_north.SimilarityConsent);
        Assert.False(_north.TrainingConsent);
        Assert.StartsWith("Saved.", cut.Find("#consent-message").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainDetail_ScientistSeesTheSummary_ButConsentIsReadOnly_AndNoDelete()
    {
        var cut = RenderDomain(TestUsers.WithRole(PortalRoles.DataScientist), _south.Id);

        Assert.Equal("contoso-hospital", cut.Find("h1").TextContent);
        Assert.Equal("8,400", cut.Find("#summary-rows").TextContent);
        Assert.Equal("4", cut.Find("#summary-features").TextContent);
        Assert.Equal(3, cut.FindAll("#class-histogram tbody tr").Count);
        Assert.Equal(ClinicFeatures, cut.FindAll("#feature-moments tbody th").Select(th => th.TextContent));
        Assert.True(cut.Find("#consent-similarity").HasAttribute("disabled"));
        Assert.True(cut.Find("#consent-training").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("#consent-save"));
        Assert.Empty(cut.FindAll("#domain-delete"));
        Assert.Contains("Only this partner's admin can change consent.", cut.Find("#domain-consent").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainDetail_SaysNotFound_ToAnotherPartnersAdmin()
    {
        var cut = RenderDomain(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _south.Id);

        Assert.NotNull(cut.Find("#domain-not-found"));
        Assert.DoesNotContain("contoso-hospital", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainDetail_BlocksDeletion_WhileAJobUsesTheDomain()
    {
        _domains.ActiveJobs[_north.Id] = ["clinics fine-tune v3"];

        var cut = RenderDomain(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _north.Id);

        Assert.Contains("'clinics fine-tune v3'", cut.Find("#domain-delete-blocked").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#domain-delete"));
    }

    [Fact]
    public void DomainDetail_DeletesOnlyAfterConfirmation()
    {
        var cut = RenderDomain(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner), _north.Id);

        cut.Find("#domain-delete").Click();
        Assert.Empty(_domains.Deleted);
        Assert.Contains("northwind-clinics", cut.Find("#domain-delete-confirm").TextContent, StringComparison.Ordinal);
        cut.Find("#domain-delete-yes").Click();

        Assert.Equal([_north.Id], _domains.Deleted);
        Assert.EndsWith("/domains", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    private IRenderedComponent<DomainsPage> RenderDomains(ClaimsPrincipal user) =>
        Render<DomainsPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));

    private IRenderedComponent<DomainDetailPage> RenderDomain(ClaimsPrincipal user, Guid id) =>
        Render<DomainDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))).Add(x => x.DomainId, id));
}
