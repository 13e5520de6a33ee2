using System.Net;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Account;

public sealed class HostingEndpointTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Health_Anonymous_ReportsHealthyDatabase()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BlazorScript_IsTheEmbeddedFrameworkScript_WithValidators()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/_framework/blazor.web.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.True(script.Length > 100_000, $"script is only {script.Length} characters");
        Assert.Contains("Blazor", script, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/_framework/blazor.web.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        using var revalidated = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }
}
