using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Account;

[Collection(PortalFixtures.Name)]
public sealed class SignInJourneyTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task Scientist_SignsIn_SeesName_UsesLiveCircuit_AndSignsOut()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var failed = new ConcurrentQueue<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Enqueue($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/account/signin\?ReturnUrl=%2F$"));

        await page.FillAsync("#email", "scientist@ftl.local");
        await page.FillAsync("#password", PortalServer.DemoPassword);
        await page.ClickAsync("#signin-submit");

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(server.BaseAddress.ToString().TrimEnd('/')) + "/$"));
        await Expect(page.Locator("#current-user")).ToHaveTextAsync("Data Scientist");
        await Expect(page.Locator(".ftl-nav a[href='/similarity']")).ToBeVisibleAsync();
        await Expect(page.Locator(".ftl-nav a[href='/ops']")).ToHaveCountAsync(0);

        // The page marks itself once the circuit has rendered it; a click before that would go nowhere.
        await Expect(page.Locator("#home")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
        await Expect(page.Locator("#access-panel")).ToHaveCountAsync(0);
        await page.ClickAsync("#access-toggle");
        await Expect(page.Locator("#access-panel")).ToContainTextAsync("Roles: DataScientist");
        await Expect(page.Locator("#access-toggle")).ToContainTextAsync("Hide my access");

        await page.ClickAsync("#signout");
        await Expect(page).ToHaveURLAsync(new Regex("/account/signin$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/account/signin\?ReturnUrl=%2F$"));

        Assert.True(failed.IsEmpty, "Failed responses: " + string.Join(", ", failed) + Environment.NewLine + server.Output);
    }
}
