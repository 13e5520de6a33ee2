using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Scheduling;

public sealed class HangfireDashboardTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData(PortalFactory.Ops)]
    [InlineData(PortalFactory.Admin)]
    public async Task GetDashboard_Returns200WithoutTheConnectionString_WhenOpsOrAdmin(string email)
    {
        using var client = await factory.CreateSignedInClientAsync(email);

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("FTL Portal · jobs", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hangfire.db", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_ShowsTheReadableJobLinkedToThePortalJob_ReadOnlyForOpsAndNotForAdmin()
    {
        using var scientist = await factory.CreateSignedInClientAsync(PortalFactory.Scientist);
        var domains = await scientist.GetFromJsonAsync<JsonElement>(new Uri("/api/domains", UriKind.Relative));
        var ids = domains.EnumerateArray().Take(2).Select(d => d.GetProperty("id").GetGuid()).ToList();
        using var requested = await scientist.PostAsJsonAsync(new Uri("/api/similarity", UriKind.Relative), new { domainIds = ids });
        var jobId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A bound so a broken run fails instead of hanging; no timing is asserted.
        for (var i = 0; i < 600 && (await scientist.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative))).GetProperty("status").GetString() != "Completed"; i++)
        {
            await Task.Delay(100);
        }

        using var ops = await factory.CreateSignedInClientAsync(PortalFactory.Ops);
        using var admin = await factory.CreateSignedInClientAsync(PortalFactory.Admin);
        var opsList = await ops.GetStringAsync(new Uri("/hangfire/jobs/succeeded", UriKind.Relative));
        var adminList = await admin.GetStringAsync(new Uri("/hangfire/jobs/succeeded", UriKind.Relative));
        var details = Regex.Match(opsList, "/hangfire/jobs/details/(\\d+)").Value;
        var detailsPage = await ops.GetStringAsync(new Uri(details, UriKind.Relative));

        Assert.Contains("Similarity of 2 domains", opsList, StringComparison.Ordinal);
        // "Requeue" and "Delete" are offered only where the dashboard is writable.
        Assert.DoesNotContain("js-jobs-list-command", opsList, StringComparison.Ordinal);
        Assert.Contains("js-jobs-list-command", adminList, StringComparison.Ordinal);
        Assert.Contains($"href=\"/jobs/{jobId}\"", detailsPage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PortalFactory.Scientist)]
    [InlineData("northwind-admin@ftl.local")]
    public async Task GetDashboard_Returns403_WhenSignedInWithoutOpsOrAdmin(string email)
    {
        using var client = await factory.CreateSignedInClientAsync(email);

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetDashboard_RedirectsToSignIn_WhenAnonymous()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location?.OriginalString, StringComparison.OrdinalIgnoreCase);
    }
}
