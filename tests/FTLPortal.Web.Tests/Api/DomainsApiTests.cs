using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Tests.Api;

public sealed class DomainsApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string NorthwindAdmin = "northwind-admin@ftl.local";
    private static readonly Guid Northwind = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a01");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task GetDomains_Returns401_WhenUnauthenticated()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/api/domains", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task GetDomains_ListsOnlyOwnPartnersDomains_WhenPartnerAdmin()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);

        var domains = await ListAsync(client);

        Assert.NotEmpty(domains);
        Assert.All(domains, d => Assert.Equal(Northwind, d.PartnerId));
        Assert.Contains(domains, d => d.Name == "northwind-registry");
    }

    [Fact]
    public async Task PutConsent_OwnerChangesIt_ScientistIsForbidden_OtherPartnerGets404()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var fabrikam = Assert.Single(await ListAsync(scientist), d => d.Name == "fabrikam-screening");
        using var owner = await factory.CreateSignedInClientAsync("fabrikam-admin@ftl.local");
        using var other = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var uri = new Uri($"/api/domains/{fabrikam.Id}/consent", UriKind.Relative);

        using var byOther = await other.PutAsJsonAsync(uri, new DomainConsent(false, false));
        using var byScientist = await scientist.PutAsJsonAsync(uri, new DomainConsent(false, false));
        using var byOwner = await owner.PutAsJsonAsync(uri, new DomainConsent(Similarity: false, Training: true));
        using var restore = await owner.PutAsJsonAsync(uri, new DomainConsent(true, true));

        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byScientist.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        using var body = JsonDocument.Parse(await byOwner.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("similarityConsent").GetBoolean());
        Assert.True(body.RootElement.GetProperty("trainingConsent").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
    }

    [Fact]
    public async Task GetDomain_Returns404ForDetailsAndSummary_WhenDomainBelongsToAnotherPartner()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var contoso = Assert.Single(await ListAsync(scientist), d => d.Name == "contoso-outpatients");
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);

        using var details = await client.GetAsync(new Uri($"/api/domains/{contoso.Id}", UriKind.Relative));
        using var summary = await client.GetAsync(new Uri($"/api/domains/{contoso.Id}/summary.json", UriKind.Relative));
        using var delete = await client.DeleteAsync(new Uri($"/api/domains/{contoso.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, details.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("application/problem+json", details.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("contoso", await summary.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetDomain_ReturnsStatisticsAndSummaryDownload_WhenDomainIsOwn()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var own = Assert.Single(await ListAsync(client), d => d.Name == "northwind-registry");

        var details = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/domains/{own.Id}", UriKind.Relative));
        using var summary = await client.GetAsync(new Uri($"/api/domains/{own.Id}/summary.json", UriKind.Relative));

        Assert.Equal(3000, details.GetProperty("statistics").GetProperty("rows").GetInt32());
        Assert.NotEmpty(details.GetProperty("statistics").GetProperty("means").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal("application/json", summary.Content.Headers.ContentType?.MediaType);
        Assert.Equal("northwind-registry.summary.json", summary.Content.Headers.ContentDisposition?.FileNameStar ?? summary.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(3000, DomainStatistics.FromSummaryJson(await summary.Content.ReadAsStringAsync()).Rows);
    }

    [Fact]
    public async Task PostDomain_Returns400WithLineMessageAndStoresNothing_WhenCellIsNotNumeric()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var before = await ListAsync(client);
        var filesBefore = AgentFiles("northwind");

        using var response = await UploadAsync(client, "broken", "label", "x1,x2,label\n1.0,2.0,a\n3.0,abc,b\n4.0,5.0,a\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("Line 3", detail, StringComparison.Ordinal);
        Assert.Contains("'abc' is not a number", detail, StringComparison.Ordinal);
        Assert.Equal(before.Select(d => d.Id), (await ListAsync(client)).Select(d => d.Id));
        Assert.Equal(filesBefore, AgentFiles("northwind"));
    }

    [Fact]
    public async Task PostDomain_Returns400WithSizeMessageAndStoresNothing_WhenFileIsTooLarge()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var limit = factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.MaxUploadBytes;
        var csv = new StringBuilder("x1,label\n");
        while (csv.Length <= limit)
        {
            csv.Append("1.0,a\n2.0,b\n");
        }

        var filesBefore = AgentFiles("northwind");

        using var response = await UploadAsync(client, "too-large", "label", csv.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than the upload limit", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(filesBefore, AgentFiles("northwind"));
    }

    [Fact]
    public async Task PostDomain_Returns400NamingTheColumn_WhenLabelColumnIsMissing()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);

        using var response = await UploadAsync(client, "wrong-label", "outcome", "x1,x2,label\n1.0,2.0,a\n3.0,4.0,b\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'outcome'", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostDomain_Returns400_WhenPartnerAdminUploadsForAnotherPartner()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var contoso = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a02");
        var filesBefore = AgentFiles("contoso");

        using var response = await UploadAsync(client, "foreign", "label", "x1,label\n1.0,a\n2.0,b\n", contoso);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(filesBefore, AgentFiles("contoso"));
    }

    [Fact]
    public async Task PostDomain_Returns201AndDeleteRemovesIt_WhenCsvIsValid()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var name = $"api-upload-{Guid.NewGuid():N}";

        using var created = await UploadAsync(client, name, "label", "x1,x2,label\n1.0,2.0,a\n3.0,4.0,b\n5.0,6.0,a\n7.0,8.0,b\n2.0,1.0,a\n4.0,3.0,b\n6.0,5.0,a\n8.0,7.0,b\n1.5,2.5,a\n3.5,4.5,b\n");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var domain = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = domain.GetProperty("id").GetGuid();
        Assert.Equal($"/api/domains/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(Northwind, domain.GetProperty("partnerId").GetGuid());
        Assert.Equal(10, domain.GetProperty("rows").GetInt32());
        Assert.Contains(AgentFiles("northwind"), f => f.StartsWith(id.ToString(), StringComparison.Ordinal));

        using var deleted = await client.DeleteAsync(new Uri($"/api/domains/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(await ListAsync(client), d => d.Id == id);
        Assert.DoesNotContain(AgentFiles("northwind"), f => f.StartsWith(id.ToString(), StringComparison.Ordinal));
    }

    private static async Task<List<DomainListItem>> ListAsync(HttpClient client) =>
        await client.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string labelColumn, string csv, Guid? partnerId = null) =>
        DomainUploads.UploadAsync(client, name, labelColumn, csv, partnerId);

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? "";

    private List<string> AgentFiles(string slug)
    {
        var folder = Path.Combine(factory.DataDirectory, "agents", slug);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
