using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Account;

/// <summary>The Hangfire dashboard behind the portal's sign-in: Ops gets it, a partner admin gets 403.</summary>
[Collection(PortalFixtures.Name)]
public sealed class HangfireDashboardTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task Dashboard_OpensForOps_FromTheOpsPage_AndIsForbiddenToPartnerAdmins()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await PortalPage.SignInAsync(page, "ops@ftl.local");
        await page.GotoAsync("/ops");
        // The Ops page links to the dashboard (in a new tab; followed here in the same one).
        var href = await page.Locator("[data-testid=ops-dashboard-link]").GetAttributeAsync("href");
        Assert.Equal("/hangfire", href);
        var dashboard = await page.GotoAsync(href!);
        Assert.Equal(200, dashboard?.Status);
        await page.GotoAsync("/hangfire/jobs/succeeded");
        await Expect(page.Locator("h1")).ToContainTextAsync("Succeeded");
        await page.GotoAsync("/");
        await PortalPage.SignOutAsync(page);

        await PortalPage.SignInAsync(page, "northwind-admin@ftl.local");
        // Chromium shows its own error page for a bodiless 403, so ask with the same cookies through the context's request API.
        var response = await page.APIRequest.GetAsync("/hangfire", new() { MaxRedirects = 0 });
        Assert.Equal(403, response.Status);
    }
}
