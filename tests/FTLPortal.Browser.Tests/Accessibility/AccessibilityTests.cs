using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Accessibility;

/// <summary>axe-core (WCAG 2.1 A and AA rules) on every page, in light and dark mode: no serious or critical violation.</summary>
[Collection(PortalFixtures.Name)]
public sealed class AccessibilityTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalAxeViolations()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            // axe-core is injected as an inline script, which the portal's content security policy rightly blocks.
            BypassCSP = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var violations = new List<string>();

        await page.GotoAsync("/account/signin");
        violations.AddRange(await AnalyseAsync(page, "/account/signin"));

        // Admin may open every page of the portal.
        await PortalPage.SignInAsync(page, "admin@ftl.local");
        var paths = new List<string> { "/", "/domains", "/similarity", "/models", "/jobs", "/ops", "/admin", "/account/access-denied", "/no-such-page" };
        await page.GotoAsync("/domains");
        await Expect(page.Locator("[data-testid=domain-link]").First).ToBeVisibleAsync();
        paths.Add(await page.Locator("[data-testid=domain-link]").First.GetAttributeAsync("href") ?? "/domains");
        await page.GotoAsync("/jobs");
        if (await page.Locator("[data-testid=job-link]").CountAsync() > 0)
        {
            paths.Add(await page.Locator("[data-testid=job-link]").First.GetAttributeAsync("href") ?? "/jobs");
        }

        await page.GotoAsync("/models");
        if (await page.Locator("[data-testid=model-link]").CountAsync() > 0)
        {
            paths.Add(await page.Locator("[data-testid=model-link]").First.GetAttributeAsync("href") ?? "/models");
        }

        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            violations.AddRange(await AnalyseAsync(page, path));
        }

        // Dark mode: the same pages with the other palette.
        await page.GotoAsync("/");
        await Expect(page.Locator("#home")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });
        await page.ClickAsync("#theme-toggle");
        await Expect(page.Locator("#theme-toggle")).ToHaveAttributeAsync("aria-label", new Regex("light|dark"));
        violations.AddRange(await AnalyseAsync(page, "/ (toggled theme)"));

        Assert.True(violations.Count == 0, "axe found serious or critical violations:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task Phone_HasAMenuButtonThatOpensTheNavigation()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#email", "scientist@ftl.local");
        await page.FillAsync("#password", PortalServer.DemoPassword);
        await page.ClickAsync("#signin-submit");
        await Expect(page.Locator("#home")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });

        var nav = page.Locator(".ftl-nav a[href='/similarity']");
        if (await nav.IsVisibleAsync())
        {
            await page.ClickAsync("#menu-button");
        }

        await Expect(nav).Not.ToBeVisibleAsync();
        await page.ClickAsync("#menu-button");
        await Expect(nav).ToBeVisibleAsync();
        // The header stays one line high: nothing wraps at 390 px.
        var header = await page.Locator(".mud-appbar").BoundingBoxAsync();
        Assert.NotNull(header);
        Assert.True(header.Height <= 72, $"app bar is {header.Height}px high");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"page is {width}px wide at a 390px viewport");
    }

    private static async Task<IReadOnlyList<string>> AnalyseAsync(IPage page, string path)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = AxeScript.Content });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        return json.EnumerateArray().Select(v => $"{path}: {v.GetString()}").ToList();
    }
}
