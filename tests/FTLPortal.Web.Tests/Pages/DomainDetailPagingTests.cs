using System.Security.Claims;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;
using FTLPortal.Web.Domains;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

/// <summary>The domain page lists a wide domain's features one page at a time (issue 10: a 36 MB page for 500,000 columns).</summary>
public sealed class DomainDetailPagingTests : BunitContext, IAsyncLifetime
{
    private readonly Domain _domain;

    public DomainDetailPagingTests()
    {
        const int features = 2000;
        var summary = new
        {
            Rows = 120,
            FeatureNames = Enumerable.Range(0, features).Select(i => $"feature_{i:D4}").ToArray(),
            Means = Enumerable.Range(0, features).Select(i => i / 7.0).ToArray(),
            StandardDeviations = Enumerable.Range(0, features).Select(i => 1 + (i / 11.0)).ToArray(),
            ClassNames = new[] { "a", "b" },
            ClassCounts = new[] { 70, 50 },
            MeanEmbedding = new double[256],
        };
        _domain = new Domain
        {
            PartnerId = TestUsers.NorthPartner,
            Name = "wide-registry",
            LabelColumn = "label",
            Rows = 120,
            FeatureCount = features,
            ClassCount = 2,
            SummaryJson = JsonSerializer.Serialize(summary),
        };
        // Registered before anything is resolved (bUnit forbids it afterwards), then the portal's test services.
        Services.AddSingleton<IDomainService>(new OneDomainService(_domain));
        this.AddTestServices();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public void DomainDetail_ListsTheFirst50Of2000Features_InABoundedPage()
    {
        var cut = Render(TestUsers.WithRole(PortalRoles.DataScientist));

        Assert.Equal(50, cut.FindAll("[data-testid=feature-row]").Count);
        Assert.Equal("feature_0000", cut.FindAll("[data-testid=feature-row] th")[0].TextContent);
        Assert.Equal("Features 1–50 of 2,000", cut.Find("#feature-range").TextContent);
        Assert.Contains("2,000", cut.Find("#summary-features").TextContent, StringComparison.Ordinal);
        // Every feature as a row would be over 200 kB of markup; one page stays far below.
        Assert.InRange(cut.Markup.Length, 1, 60_000);
        Assert.DoesNotContain("feature_0050", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainDetail_PagesForwardAndBack()
    {
        var cut = Render(TestUsers.WithRole(PortalRoles.DataScientist));
        Assert.True(cut.Find("#feature-previous").HasAttribute("disabled"));

        cut.Find("#feature-next").Click();

        Assert.Equal("feature_0050", cut.FindAll("[data-testid=feature-row] th")[0].TextContent);
        Assert.Equal("Features 51–100 of 2,000", cut.Find("#feature-range").TextContent);
        cut.Find("#feature-previous").Click();
        Assert.Equal("feature_0000", cut.FindAll("[data-testid=feature-row] th")[0].TextContent);
    }

    [Fact]
    public void DomainDetail_FiltersFeaturesByName()
    {
        var cut = Render(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("#feature-filter").Input("feature_19");

        var rows = cut.FindAll("[data-testid=feature-row] th").Select(th => th.TextContent).ToList();
        Assert.Equal(Enumerable.Range(1900, 50).Select(i => $"feature_{i:D4}"), rows);
        Assert.Equal("Features 1–50 of 100", cut.Find("#feature-range").TextContent);
        cut.Find("#feature-filter").Input("no-such-feature");
        Assert.Empty(cut.FindAll("[data-testid=feature-row]"));
        Assert.NotNull(cut.Find("#feature-none"));
    }

    private IRenderedComponent<DomainDetailPage> Render(ClaimsPrincipal user) =>
        Render<DomainDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))).Add(x => x.DomainId, _domain.Id));

    /// <summary>A domain service that knows one domain and lets everyone see it.</summary>
    private sealed class OneDomainService(Domain domain) : IDomainService
    {
        public Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken) =>
            Task.FromResult(DomainRegistrationResult.Failure("Not in this test."));

        public Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Partner>>([]);

        public Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DomainListItem>>([]);

        public Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
            Task.FromResult(domainId == domain.Id ? domain : null);

        public Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DomainJobUse>>([]);

        public Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }
}
