using System.Text.Json;
using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;

namespace FTLPortal.Browser.Tests.Security;

/// <summary>
/// Finding 2 in a real browser: a page on another port of the same host, visited by a signed-in user, tries a multipart
/// upload (no-cors fetch) and a form post to cancel a job. Both reach the portal with the user's cookie and are refused.
/// </summary>
[Collection(PortalFixtures.Name)]
public sealed class CrossOriginRequestTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task AnotherOriginsPage_CannotRegisterADomain_WhenPartnerAdminIsSignedIn()
    {
        var portal = server.BaseAddress.ToString().TrimEnd('/');
        var html = $$"""
            <!DOCTYPE html><html><body><p id="state">sending</p><script>
            const form = new FormData();
            form.append('name', 'csrf-from-browser');
            form.append('labelColumn', 'label');
            form.append('file', new Blob(['f1,label\n1,a\n2,b\n3,a\n4,b\n'], { type: 'text/csv' }), 'x.csv');
            fetch('{{portal}}/api/domains', { method: 'POST', body: form, mode: 'no-cors', credentials: 'include' })
              .finally(() => document.getElementById('state').textContent = 'sent');
            </script></body></html>
            """;
        await using var attacker = await AttackerSite.StartAsync(new Dictionary<string, string> { ["/upload"] = html });
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "northwind-admin@ftl.local");

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync(new Uri(attacker.BaseAddress, "/upload").ToString()),
            r => r.Url.EndsWith("/api/domains", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal(403, response.Status);
        var domains = await context.APIRequest.GetAsync($"{portal}/api/domains");
        Assert.Equal(200, domains.Status);
        Assert.DoesNotContain("csrf-from-browser", await domains.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherOriginsFormPost_CannotCancelAJob_WhenScientistIsSignedIn()
    {
        var portal = server.BaseAddress.ToString().TrimEnd('/');
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "scientist@ftl.local");
        var jobId = await RequestSimilarityAsync(context, portal);
        var html = $$"""
            <!DOCTYPE html><html><body>
            <form id="f" method="post" action="{{portal}}/api/jobs/{{jobId}}/cancel"><input name="x" value="1"></form>
            <script>document.getElementById('f').submit();</script></body></html>
            """;
        await using var attacker = await AttackerSite.StartAsync(new Dictionary<string, string> { ["/cancel"] = html });

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync(new Uri(attacker.BaseAddress, "/cancel").ToString()),
            r => r.Url.EndsWith($"/api/jobs/{jobId}/cancel", StringComparison.Ordinal));

        Assert.Equal(403, response.Status);
        var job = await context.APIRequest.GetAsync($"{portal}/api/jobs/{jobId}");
        using var body = JsonDocument.Parse(await job.TextAsync());
        Assert.NotEqual("Cancelled", body.RootElement.GetProperty("status").GetString());
    }

    private static async Task<Guid> RequestSimilarityAsync(IBrowserContext context, string portal)
    {
        var list = await context.APIRequest.GetAsync($"{portal}/api/domains");
        using var domains = JsonDocument.Parse(await list.TextAsync());
        var ids = domains.RootElement.EnumerateArray()
            .Where(d => d.GetProperty("name").GetString() is "contoso-outpatients" or "fabrikam-screening")
            .Select(d => d.GetProperty("id").GetGuid())
            .ToList();
        var requested = await context.APIRequest.PostAsync($"{portal}/api/similarity", new() { DataObject = new { domainIds = ids } });
        Assert.Equal(202, requested.Status);
        using var job = JsonDocument.Parse(await requested.TextAsync());
        return job.RootElement.GetProperty("id").GetGuid();
    }
}
