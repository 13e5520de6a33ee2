using System.Text;
using FTLPortal.Core.Domains;
using FTLPortal.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Tests.Domains;

/// <summary>Domains per partner, lookalike names, one-hot uploads and private file modes, through the domain service.</summary>
public sealed class DomainUploadLimitsTests : IAsyncLifetime
{
    private const string ValidCsv = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n2,1,y\n";
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    private string AgentFolder(string slug) => Path.Combine(_host.DataDirectory, "agents", slug);

    private Task<DomainRegistrationResult> RegisterAsync(string slug, string name, string csv = ValidCsv, bool oneHot = false)
    {
        var user = PortalHost.PartnerAdmin(slug);
        var registration = new DomainRegistration(user.PartnerId!.Value, name, "label", "upload.csv", user.Email) { OneHotEncodeCategoricals = oneHot };
        return _host.Get<IDomainService>().RegisterAsync(user, registration, Csv(csv), default);
    }

    [Fact]
    public async Task RegisterAsync_RefusesADomainOverThePartnersLimit_AndStoresNothing()
    {
        var user = PortalHost.PartnerAdmin("contoso");
        int existing = (await _host.Get<IDomainService>().ListAsync(user, default)).Count;
        _host.Get<IOptions<PortalOptions>>().Value.MaxDomainsPerPartner = existing + 1;

        DomainRegistrationResult first = await RegisterAsync("contoso", "one more");
        int files = Directory.GetFiles(AgentFolder("contoso")).Length;
        DomainRegistrationResult second = await RegisterAsync("contoso", "one too many");

        Assert.True(first.Succeeded, first.Error);
        Assert.False(second.Succeeded);
        Assert.Contains($"the most allowed ({existing + 1})", second.Error, StringComparison.Ordinal);
        Assert.Equal(files, Directory.GetFiles(AgentFolder("contoso")).Length);
        Assert.Equal(existing + 1, (await _host.Get<IDomainService>().ListAsync(user, default)).Count);
    }

    [Theory]
    [InlineData("clinic\u200Dnorth", "invisible")] // zero-width joiner
    [InlineData("clinic\u200Bnorth", "invisible")] // zero-width space
    [InlineData("сlinic-north", "alphabets")] // Cyrillic 'с' among Latin letters
    [InlineData("ｃｌｉｎｉｃ-north", "compatibility")] // full-width letters
    [InlineData("Clinic-North", "looks like")] // only the case differs
    [InlineData("clinic-north", "already has a domain named")]
    public async Task RegisterAsync_RefusesLookalikesOfAnExistingName(string name, string expected)
    {
        DomainRegistrationResult original = await RegisterAsync("fabrikam", "clinic-north");
        int files = Directory.GetFiles(AgentFolder("fabrikam")).Length;

        DomainRegistrationResult lookalike = await RegisterAsync("fabrikam", name);

        Assert.True(original.Succeeded, original.Error);
        Assert.False(lookalike.Succeeded);
        Assert.Contains(expected, lookalike.Error, StringComparison.Ordinal);
        Assert.Equal(files, Directory.GetFiles(AgentFolder("fabrikam")).Length);
    }

    [Fact]
    public async Task RegisterAsync_RefusesAnAllCyrillicLookalike_ThatIsValidOnItsOwn()
    {
        DomainRegistrationResult original = await RegisterAsync("northwind", "papa");

        DomainRegistrationResult lookalike = await RegisterAsync("northwind", "рара");
        DomainRegistrationResult cyrillic = await RegisterAsync("northwind", "клиника");

        Assert.True(original.Succeeded, original.Error);
        Assert.Contains("looks like", lookalike.Error, StringComparison.Ordinal);
        Assert.True(cyrillic.Succeeded, cyrillic.Error);
    }

    [Fact]
    public async Task RegisterAsync_OneHotEncodesCategoricalColumns_WhenAsked()
    {
        const string csv = "colour,size,label\nred,1,x\nblue,2,y\nred,3,x\ngreen,4,y\n";

        DomainRegistrationResult refused = await RegisterAsync("contoso", "colours", csv);
        DomainRegistrationResult encoded = await RegisterAsync("contoso", "colours", csv, oneHot: true);

        Assert.Contains("one-hot", refused.Error, StringComparison.Ordinal);
        Assert.True(encoded.Succeeded, encoded.Error);
        Assert.Equal(4, encoded.Domain!.FeatureCount);
        Assert.Equal(["colour=blue", "colour=green", "colour=red", "size"], DomainStatistics.FromSummaryJson(encoded.Domain.SummaryJson).FeatureNames);
    }

    [Fact]
    public async Task RegisterAsync_StoresTheDomainFile600_InAnAgentFolder700_NextToADatabase600()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        DomainRegistrationResult result = await RegisterAsync("northwind", "private");

        Assert.True(result.Succeeded, result.Error);
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(Owner, File.GetUnixFileMode(Path.Combine(AgentFolder("northwind"), $"{result.Domain!.Id}.csv")));
        Assert.Equal(Owner, File.GetUnixFileMode(Path.Combine(AgentFolder("northwind"), $"{result.Domain.Id}.domain.json")));
        Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(AgentFolder("northwind")));
        Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_host.DataDirectory, "agents")));
        Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(_host.DataDirectory));
        Assert.Equal(Owner, File.GetUnixFileMode(Path.Combine(_host.DataDirectory, "portal.db")));
        Assert.Equal(Owner, File.GetUnixFileMode(Path.Combine(_host.DataDirectory, "hangfire.db")));
    }
}
