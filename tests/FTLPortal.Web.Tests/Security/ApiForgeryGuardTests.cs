using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Security;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Security;

/// <summary>Finding 2: state-changing API requests a cross-site page could send (forms, no-cors fetches) are refused.</summary>
public sealed class ApiForgeryGuardTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string NorthwindAdmin = "northwind-admin@ftl.local";
    private const string Csv = "f1,f2,label\n1,2,a\n2,3,b\n3,4,a\n4,5,b\n5,6,a\n6,7,b\n";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task PostDomains_Returns403AndStoresNothing_WhenMultipartWithoutHeader()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);
        var before = await CountDomainsAsync(client);

        using var response = await DomainUploads.UploadAsync(client, "csrf-multipart", "label", Csv, withForgeryHeader: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(ApiForgeryGuard.HeaderName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountDomainsAsync(client));
    }

    [Fact]
    public async Task PostDomains_Returns201_WhenMultipartCarriesHeader()
    {
        using var client = await factory.CreateSignedInClientAsync(NorthwindAdmin);

        using var response = await DomainUploads.UploadAsync(client, "csrf-with-header", "label", Csv);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PostCancel_Returns403_WhenFormPost()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var jobId = await RequestSimilarityAsync(scientist);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" });

        using var response = await scientist.PostAsync(new Uri($"/api/jobs/{jobId}/cancel", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task PostCancel_Returns403_WhenSimpleBodyOrNoBody(string? contentType)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var jobId = await RequestSimilarityAsync(scientist);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/jobs/{jobId}/cancel", UriKind.Relative));
        if (contentType is not null)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, contentType);
        }

        using var response = await scientist.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("same-site")]
    [InlineData("cross-site")]
    public async Task PostJson_Returns403_WhenBrowserSaysAnotherSiteSentIt(string site)
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/similarity", UriKind.Relative))
        {
            Content = JsonContent.Create(new { domainIds = new[] { Guid.NewGuid(), Guid.NewGuid() } }),
        };
        request.Headers.Add("Sec-Fetch-Site", site);
        request.Headers.Add(ApiForgeryGuard.HeaderName, "1");

        using var response = await scientist.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostJson_PassesTheGuard_WhenSameOrigin()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/similarity", UriKind.Relative))
        {
            Content = JsonContent.Create(new { domainIds = new[] { Guid.NewGuid() } }),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await scientist.SendAsync(request);

        // The service's own validation answers, not the guard.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<int> CountDomainsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? []).Count;

    private static async Task<Guid> RequestSimilarityAsync(HttpClient scientist)
    {
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var ids = domains.Where(d => d.Name is "contoso-outpatients" or "fabrikam-screening").Select(d => d.Id).ToList();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        return (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
