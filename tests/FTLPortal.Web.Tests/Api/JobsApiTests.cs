using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FTLPortal.Core.Domains;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Api;

public sealed class JobsApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task GetJob_Returns404_WhenJobDoesNotInvolvePartner()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var ids = domains.Where(d => d.Name is "contoso-outpatients" or "fabrikam-screening").Select(d => d.Id).ToList();
        Assert.Equal(2, ids.Count);
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var jobId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var northwind = await factory.CreateSignedInClientAsync("northwind-admin@ftl.local");
        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");

        foreach (var path in new[] { $"/api/jobs/{jobId}", $"/api/jobs/{jobId}/rounds", $"/api/similarity/{jobId}", $"/api/jobs/{jobId}/model-card.md" })
        {
            using var response = await northwind.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        }

        using var cancelRequest = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/jobs/{jobId}/cancel", UriKind.Relative));
        cancelRequest.Headers.Add(FTLPortal.Web.Security.ApiForgeryGuard.HeaderName, "1");
        using var cancel = await northwind.SendAsync(cancelRequest);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        var listed = await northwind.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs", UriKind.Relative));
        Assert.DoesNotContain(listed.EnumerateArray(), j => j.GetProperty("id").GetGuid() == jobId);
        using var scientistView = await scientist.GetAsync(new Uri($"/api/similarity/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scientistView.StatusCode);
    }

    [Fact]
    public async Task GetSimilarity_Returns404ToAnInvolvedPartnerAdmin_WhenTheJobAlsoNamesOtherPartnersDomains()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<List<DomainListItem>>(new Uri("/api/domains", UriKind.Relative), Json) ?? [];
        var ids = domains.Where(d => d.Name is "contoso-outpatients" or "fabrikam-screening").Select(d => d.Id).ToList();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        var jobId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var contoso = await factory.CreateSignedInClientAsync("contoso-admin@ftl.local");

        // Its result is a matrix over every compared domain: fabrikam's would leak to contoso.
        using var similarity = await contoso.GetAsync(new Uri($"/api/similarity/{jobId}", UriKind.Relative));
        using var job = await contoso.GetAsync(new Uri($"/api/jobs/{jobId}", UriKind.Relative));
        var listed = await contoso.GetFromJsonAsync<JsonElement>(new Uri("/api/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, similarity.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        Assert.DoesNotContain(listed.EnumerateArray(), j => j.GetProperty("id").GetGuid() == jobId);
    }

    [Fact]
    public async Task PostSimilarity_Returns400WithServiceMessage_WhenFewerThanTwoDomains()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = new[] { Guid.NewGuid() } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Select at least two domains to compare.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetJobs_Returns400_WhenKindIsUnknown()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        using var response = await scientist.GetAsync(new Uri("/api/jobs?kind=Baking", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetOpenApi_ListsTheDomainsAndJobsEndpoints_WhenSignedIn()
    {
        using var client = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/domains", paths);
        Assert.Contains("/api/domains/{id}/summary.json", paths);
        Assert.Contains("/api/jobs/{id}/model-card.md", paths);
        Assert.Contains("/api/similarity", paths);
    }

    [Fact]
    public async Task HubNegotiate_Returns401_WhenUnauthenticated()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostAsync(new Uri("/hubs/jobs/negotiate?negotiateVersion=1", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetPage_StillRedirectsToSignIn_WhenUnauthenticated()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // The redirect is relative (the Host header is never reflected into it).
        Assert.StartsWith("/account/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
