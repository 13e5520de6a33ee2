using System.Text;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Domains;

[Collection(PortalFixtures.Name)]
public sealed class DomainLifecycleTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task PartnerAdmin_WithdrawsConsentAndDeletesDomain_AndAgentFileIsGone()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "contoso-admin@ftl.local");

        await page.GotoAsync("/domains");
        await PortalPage.WaitInteractiveAsync(page, "#domain-file");
        var csv = new StringBuilder("f0,f1,label\n");
        for (var i = 0; i < 40; i++)
        {
            csv.Append(i % 7).Append(',').Append(i % 5).Append(",class_").Append(i % 2).Append('\n');
        }

        await page.SetInputFilesAsync("#domain-file", new FilePayload { Name = "short-lived.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.ClickAsync("#domain-submit");
        await page.WaitForURLAsync(new Regex("/domains/(?<id>[0-9a-f-]{36})$"));
        var id = new Uri(page.Url).Segments[^1];
        var agentFile = Path.Combine(server.DataDirectory, "agents", "contoso", id + ".csv");
        Assert.True(File.Exists(agentFile));
        await PortalPage.WaitInteractiveAsync(page, "#consent-similarity");

        // Consent is opt-in: nothing is consented at registration. Grant training only.
        await Expect(page.Locator("#consent-similarity")).Not.ToBeCheckedAsync();
        await page.CheckAsync("#consent-training");
        await page.ClickAsync("#consent-save");
        await Expect(page.Locator("#consent-message")).ToContainTextAsync("Saved");
        await page.ReloadAsync();
        await PortalPage.WaitInteractiveAsync(page, "#consent-similarity");
        await Expect(page.Locator("#consent-similarity")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#consent-training")).ToBeCheckedAsync();

        await PortalPage.WaitInteractiveAsync(page, "#domain-delete");
        await page.ClickAsync("#domain-delete");
        await Expect(page.Locator("#domain-delete-confirm")).ToContainTextAsync("short-lived");
        await page.ClickAsync("#domain-delete-yes");
        await page.WaitForURLAsync(new Regex("/domains$"));
        await Expect(page.Locator("[data-testid=domain-link]", new() { HasText = "short-lived" })).ToHaveCountAsync(0);
        Assert.False(File.Exists(agentFile));
    }
}
