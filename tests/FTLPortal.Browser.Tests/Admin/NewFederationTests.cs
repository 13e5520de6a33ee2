using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Admin;

[Collection(PortalFixtures.Name)]
public sealed class NewFederationTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task Admin_SetsUpAFederationOfTwoPartners_AndTheNewPartnerAdminSeesItsEmptyDomains()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "admin@ftl.local");

        // The home page's promise leads to the console, and so does the menu.
        await Expect(page.Locator(".ftl-nav a[href='/admin']")).ToBeVisibleAsync();
        await page.GotoAsync("/admin");
        await PortalPage.WaitInteractiveAsync(page, "#federation-form");
        await page.FillAsync("#federation-count", "2");
        await Expect(page.Locator("[id^=federation-name-]")).ToHaveCountAsync(2);
        await page.FillAsync("#federation-name-0", "Harbor Clinic");
        await page.FillAsync("#federation-email-0", "harbor-admin@example.org");
        await page.FillAsync("#federation-name-1", "Valley Clinic");
        await page.FillAsync("#federation-email-1", "valley-admin@example.org");
        await page.ClickAsync("#federation-submit");

        await Expect(page.Locator("[data-testid=issued-row]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=partner-name]", new() { HasText = "Harbor Clinic" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=partner-name]", new() { HasText = "Valley Clinic" })).ToBeVisibleAsync();
        var harbor = page.Locator("[data-testid=issued-row]", new() { HasText = "harbor-admin@example.org" });
        var password = (await harbor.Locator("[data-testid=issued-password]").TextContentAsync())!.Trim();
        Assert.True(Directory.Exists(Path.Combine(server.DataDirectory, "agents", "harbor-clinic")));
        await PortalPage.SignOutAsync(page);

        await page.FillAsync("#email", "harbor-admin@example.org");
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin-submit");
        await Expect(page.Locator("#current-user")).ToBeVisibleAsync();
        await Expect(page.Locator(".ftl-nav a[href='/admin']")).ToHaveCountAsync(0);

        await page.GotoAsync("/domains");
        await PortalPage.WaitInteractiveAsync(page, "#domain-file");
        await Expect(page.Locator("#domains-grid")).ToContainTextAsync("No domains yet.");
        await Expect(page.Locator("[data-testid=domain-link]")).ToHaveCountAsync(0);

        // A partner admin opening the console is told, in the words every refused page uses.
        await page.GotoAsync("/admin");
        await Expect(page.Locator("#role-notice")).ToContainTextAsync("not available to your role");
    }
}
