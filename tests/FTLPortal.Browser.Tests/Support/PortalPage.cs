using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Support;

/// <summary>What every browser test does with the portal's pages: sign in, and wait until a page's circuit is live.</summary>
internal static class PortalPage
{
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", PortalServer.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await Expect(page.Locator("#current-user")).ToBeVisibleAsync();
    }

    public static async Task SignOutAsync(IPage page)
    {
        await page.ClickAsync("#signout");
        await Expect(page).ToHaveURLAsync(new Regex("/account/signin"));
    }

    /// <summary>
    /// Waits until the page holding <paramref name="selector"/> is live on its circuit; clicks before that would go
    /// nowhere. The selector must be unique to the page: during a navigation the previous page's marker is still there.
    /// </summary>
    public static Task WaitInteractiveAsync(IPage page, string selector) =>
        Expect(page.Locator($".ftl-page[data-interactive='true'] {selector}").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
}
