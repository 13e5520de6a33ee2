using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Administration;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Learning.Data;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Administration;

/// <summary>The admin console's service on the real portal (Identity, SQLite, in-process agents), one fresh portal per test.</summary>
public sealed class PortalAdministrationTests : IAsyncLifetime, IDisposable
{
    private static readonly Uri Jobs = new("/api/jobs", UriKind.Relative);
    private readonly ManualTimeProvider _clock = new();
    private readonly PortalFactory _portal = new();
    private readonly WebApplicationFactory<Program> _factory;
    private IPortalAdministration _administration = null!;
    private PortalUserContext _admin = null!;

    public PortalAdministrationTests() =>
        _factory = _portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));

    public async Task InitializeAsync()
    {
        _administration = _factory.Services.GetRequiredService<IPortalAdministration>();
        _admin = await ContextOfAsync(PortalFactory.Admin, PortalRoles.Admin);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _factory.Dispose();
        _portal.Dispose();
    }

    [Fact]
    public async Task CreatePartner_GivesTheNewPartnerAnAgentThatTakesUploads_WhenTheNameIsNew()
    {
        var result = await _administration.CreatePartnerAsync(_admin, "  Acme   Labs ", CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var partner = result.Value!;
        Assert.Equal("Acme Labs", partner.Name);
        Assert.Equal("acme-labs", partner.Slug);
        Assert.Contains(await _administration.ListPartnersAsync(_admin, CancellationToken.None), p => p.Id == partner.Id);
        Assert.True(Directory.Exists(Path.Combine(_portal.DataDirectory, "agents", "acme-labs")));

        using var csv = new MemoryStream();
        CsvDatasetWriter.Write(SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 60, Seed = 7 }), csv);
        csv.Position = 0;
        var registered = await _factory.Services.GetRequiredService<IDomainService>().RegisterAsync(
            _admin, new DomainRegistration(partner.Id, "acme-first", "label", "acme-first.csv", "test"), csv, CancellationToken.None);
        Assert.True(registered.Succeeded, registered.Error);
        Assert.Equal(1, (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Single(p => p.Id == partner.Id).Domains);
    }

    [Theory]
    [InlineData("northwind health")]
    [InlineData("  NORTHWIND   Health ")]
    [InlineData("   ")]
    public async Task CreatePartner_StoresNothing_WhenTheNameIsTakenOrEmpty(string name)
    {
        var before = await _administration.ListPartnersAsync(_admin, CancellationToken.None);

        var result = await _administration.CreatePartnerAsync(_admin, name, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("Nothing was stored", result.Error, StringComparison.Ordinal);
        Assert.Equal(before.Count, (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task RenamePartner_ChangesTheNameAndKeepsTheSlug_AndRefusesAnotherPartnersName()
    {
        var contoso = (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Single(p => p.Slug == "contoso");

        var renamed = await _administration.RenamePartnerAsync(_admin, contoso.Id, "Contoso Hospitals", CancellationToken.None);
        var clash = await _administration.RenamePartnerAsync(_admin, contoso.Id, "FABRIKAM labs", CancellationToken.None);

        Assert.True(renamed.Succeeded, renamed.Error);
        Assert.Equal(("Contoso Hospitals", "contoso"), (renamed.Value!.Name, renamed.Value.Slug));
        Assert.False(clash.Succeeded);
        Assert.Contains("Fabrikam Labs", clash.Error, StringComparison.Ordinal);
        Assert.Equal("Contoso Hospitals", (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Single(p => p.Id == contoso.Id).Name);
    }

    [Fact]
    public async Task CreateUser_IssuesAPasswordThatSignsIn_AndListsTheUserWithRoleAndPartner()
    {
        var northwind = (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Single(p => p.Slug == "northwind");

        var result = await _administration.CreateUserAsync(_admin, new NewUserRequest(" new.admin@example.org ", "New Admin", PortalRoles.PartnerAdmin, northwind.Id), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var listed = (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Single(u => u.Email == "new.admin@example.org");
        Assert.Equal((PortalRoles.PartnerAdmin, northwind.Id, "Northwind Health", false), (listed.Role, listed.PartnerId, listed.PartnerName, listed.Disabled));
        Assert.DoesNotContain(result.Value!.Password, result.Value.ToString(), StringComparison.Ordinal);
        using var client = await SignInAsync("new.admin@example.org", result.Value.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", PortalRoles.DataScientist, false, "not an email address")]
    [InlineData("a b@example.org", PortalRoles.DataScientist, false, "not an email address")]
    [InlineData("ops@ftl.local", PortalRoles.DataScientist, false, "exists already")]
    [InlineData("OPS@FTL.LOCAL", PortalRoles.DataScientist, false, "exists already")]
    [InlineData("x@example.org", "Superuser", false, "is not a role")]
    [InlineData("x@example.org", PortalRoles.PartnerAdmin, false, "choose one")]
    [InlineData("x@example.org", PortalRoles.DataScientist, true, "partner does not exist")]
    public async Task CreateUser_StoresNothing_WhenTheRequestIsInvalid(string email, string role, bool unknownPartner, string expected)
    {
        var before = (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Count;

        var result = await _administration.CreateUserAsync(_admin, new NewUserRequest(email, "", role, unknownPartner ? Guid.NewGuid() : null), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Assign_ChangesTheRoleAndEndsTheSession_WithinTheValidationInterval()
    {
        using var client = await SignInAsync(PortalFactory.Scientist);
        var scientist = await UserAsync(PortalFactory.Scientist);

        var result = await _administration.AssignAsync(_admin, scientist.Id, new UserAssignment(PortalRoles.Ops, null), CancellationToken.None);
        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(PortalRoles.Ops, result.Value!.Role);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
        using var again = await SignInAsync(PortalFactory.Scientist);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(Jobs)).StatusCode);
    }

    [Fact]
    public async Task SetEnabled_DisabledUserCannotSignIn_UntilEnabledAgain()
    {
        var ops = await UserAsync(PortalFactory.Ops);

        var disabled = await _administration.SetEnabledAsync(_admin, ops.Id, enabled: false, CancellationToken.None);

        Assert.True(disabled.Succeeded, disabled.Error);
        Assert.True(disabled.Value!.Disabled);
        Assert.NotEqual(HttpStatusCode.Redirect, await SignInStatusAsync(PortalFactory.Ops, PortalFactory.DemoPassword));

        var enabled = await _administration.SetEnabledAsync(_admin, ops.Id, enabled: true, CancellationToken.None);

        Assert.False(enabled.Value!.Disabled);
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(PortalFactory.Ops, PortalFactory.DemoPassword));
    }

    [Fact]
    public async Task ResetPassword_NewPasswordSignsIn_OldOneAndOldSessionsNoLonger()
    {
        using var client = await SignInAsync("fabrikam-admin@ftl.local");
        var user = await UserAsync("fabrikam-admin@ftl.local");

        var result = await _administration.ResetPasswordAsync(_admin, user.Id, CancellationToken.None);
        _clock.Advance(SessionValidation.Interval + TimeSpan.FromSeconds(1));

        Assert.True(result.Succeeded, result.Error);
        Assert.NotEqual(PortalFactory.DemoPassword, result.Value!.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, await SignInStatusAsync("fabrikam-admin@ftl.local", PortalFactory.DemoPassword));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync("fabrikam-admin@ftl.local", result.Value.Password));
    }

    [Fact]
    public async Task AdminCannotDemoteOrDisableThemselves_NorTheLastEnabledAdmin()
    {
        var self = await UserAsync(PortalFactory.Admin);
        var demoteSelf = await _administration.AssignAsync(_admin, self.Id, new UserAssignment(PortalRoles.Ops, null), CancellationToken.None);
        var disableSelf = await _administration.SetEnabledAsync(_admin, self.Id, enabled: false, CancellationToken.None);
        Assert.Contains("cannot remove your own Admin role", demoteSelf.Error, StringComparison.Ordinal);
        Assert.Contains("cannot disable your own account", disableSelf.Error, StringComparison.Ordinal);

        // A second admin, then disabled: the first is the last enabled admin, and the second (were it still signed in) may not demote them.
        var second = await _administration.CreateUserAsync(_admin, new NewUserRequest("second.admin@example.org", "Second", PortalRoles.Admin, null), CancellationToken.None);
        Assert.True((await _administration.SetEnabledAsync(_admin, second.Value!.User.Id, enabled: false, CancellationToken.None)).Succeeded);
        var secondAdmin = new PortalUserContext(second.Value.User.Id, second.Value.User.Email, new HashSet<string> { PortalRoles.Admin }, null);

        var demoteLast = await _administration.AssignAsync(secondAdmin, self.Id, new UserAssignment(PortalRoles.Ops, null), CancellationToken.None);

        Assert.False(demoteLast.Succeeded);
        Assert.Contains("last enabled admin", demoteLast.Error, StringComparison.Ordinal);
        Assert.Equal(PortalRoles.Admin, (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Single(u => u.Id == self.Id).Role);
    }

    [Fact]
    public async Task CreateFederation_CreatesPartnersWithTheirAdmins_WhoSignInAndSeeOnlyTheirOwnPartner()
    {
        var result = await _administration.CreateFederationAsync(
            _admin, [new("River Clinic", "river@example.org"), new("Lake Clinic", "lake@example.org")], CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["lake-clinic", "river-clinic"], (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Select(p => p.Slug).Where(s => s.EndsWith("-clinic", StringComparison.Ordinal)));
        foreach (var issued in result.Value!)
        {
            Assert.Equal(PortalRoles.PartnerAdmin, issued.User.Role);
            using var client = await SignInAsync(issued.User.Email, issued.Password);
            Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative))).GetArrayLength());
        }
    }

    [Fact]
    public async Task CreateFederation_StoresNothing_WhenOneRowIsInvalid()
    {
        var partners = (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Count;
        var users = (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Count;

        var result = await _administration.CreateFederationAsync(
            _admin, [new("Hill Clinic", "hill@example.org"), new("Dale Clinic", "HILL@example.org")], CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Partner 2:", result.Error, StringComparison.Ordinal);
        Assert.Equal(partners, (await _administration.ListPartnersAsync(_admin, CancellationToken.None)).Count);
        Assert.Equal(users, (await _administration.ListUsersAsync(_admin, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task EveryCall_IsRefused_ForAnotherRole()
    {
        var ops = await ContextOfAsync(PortalFactory.Ops, PortalRoles.Ops);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _administration.ListUsersAsync(ops, CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _administration.CreatePartnerAsync(ops, "Sneaky", CancellationToken.None));
        Assert.DoesNotContain(await _administration.ListPartnersAsync(_admin, CancellationToken.None), p => p.Name == "Sneaky");
    }

    private async Task<PortalUser> UserAsync(string email)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
    }

    private async Task<PortalUserContext> ContextOfAsync(string email, string role)
    {
        var user = await UserAsync(email);
        return new PortalUserContext(user.Id, email, new HashSet<string> { role }, user.PartnerId);
    }

    /// <summary>Signs in on this test's portal (the one with the manual clock); the client keeps the cookie.</summary>
    private async Task<HttpClient> SignInAsync(string email, string password = PortalFactory.DemoPassword)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await PortalFactory.PostSignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private async Task<HttpStatusCode> SignInStatusAsync(string email, string password)
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await PortalFactory.PostSignInAsync(client, email, password);
        return response.StatusCode;
    }
}
