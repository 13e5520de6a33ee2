using System.Security.Claims;
using Bunit;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;
using FTLPortal.Web.Domains;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

/// <summary>The upload form offers one-hot encoding where the CSV error suggests it (issue 6).</summary>
public sealed class DomainUploadFormTests : BunitContext, IAsyncLifetime
{
    private const string CategoricalError =
        "Line 2, column 'colour': 'red' is not a number, so the column is categorical; turn on one-hot encoding of categorical columns to use it, or remove the column.";

    private readonly RecordingDomainService _domains = new();

    public DomainUploadFormTests()
    {
        Services.AddSingleton<IDomainService>(_domains);
        Services.AddOptions();
        this.AddTestServices();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public void Upload_PointsAtTheOneHotOption_WhenTheFileHasACategoricalColumn()
    {
        var cut = Render(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));
        Assert.False(cut.Find("#domain-one-hot").HasAttribute("checked"));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("colour,label\nred,a\nblue,b\n", "colours.csv"));
        cut.Find("#register-domain-form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("One-hot encode categorical columns", cut.Find("#upload-hint").TextContent, StringComparison.Ordinal));
        Assert.Contains("Nothing was stored", cut.Find("#upload-error").TextContent, StringComparison.Ordinal);
        Assert.False(Assert.Single(_domains.Registrations).OneHotEncodeCategoricals);
    }

    [Fact]
    public void Upload_AsksTheAgentToOneHotEncode_WhenTheOptionIsTicked()
    {
        var cut = Render(TestUsers.WithRole(PortalRoles.PartnerAdmin, TestUsers.NorthPartner));

        cut.Find("#domain-one-hot").Change(true);
        cut.Find("#domain-one-hot-columns").Input("region, ward ,");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("colour,region,ward,label\nred,1,2,a\nblue,2,3,b\n", "colours.csv"));
        cut.Find("#register-domain-form").Submit();

        cut.WaitForAssertion(() => Assert.Single(_domains.Registrations));
        DomainRegistration registration = _domains.Registrations[0];
        Assert.True(registration.OneHotEncodeCategoricals);
        Assert.Equal(["region", "ward"], registration.OneHotColumns);
    }

    private IRenderedComponent<DomainsPage> Render(ClaimsPrincipal user) =>
        Render<DomainsPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));

    /// <summary>Records registrations; refuses those without one-hot encoding as the agent would for a text column.</summary>
    private sealed class RecordingDomainService : IDomainService
    {
        public List<DomainRegistration> Registrations { get; } = [];

        public async Task<DomainRegistrationResult> RegisterAsync(PortalUserContext user, DomainRegistration registration, Stream csv, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(csv);
            await reader.ReadToEndAsync(cancellationToken);
            Registrations.Add(registration);
            return DomainRegistrationResult.Failure(registration.OneHotEncodeCategoricals ? "Stopped by the test." : CategoricalError);
        }

        public Task<IReadOnlyList<Partner>> ManageablePartnersAsync(PortalUserContext user, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Partner>>([new Partner { Id = TestUsers.NorthPartner, Name = "North", Slug = "north" }]);

        public Task<IReadOnlyList<DomainListItem>> ListAsync(PortalUserContext user, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DomainListItem>>([]);

        public Task<Domain?> FindAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => Task.FromResult<Domain?>(null);

        public Task<bool> DeleteAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> SetConsentAsync(PortalUserContext user, Guid domainId, DomainConsent consent, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<DomainJobUse>> ListJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DomainJobUse>>([]);

        public Task<IReadOnlyList<string>> ActiveJobsUsingAsync(PortalUserContext user, Guid domainId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }
}
