using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Jobs;

/// <summary>
/// Issue 6's "a job scheduled for a minute later runs at its time", as a data scientist does it: the scheduling form's
/// "At a date and time" in the browser's own time zone, the job page showing when it is due, then the run itself.
/// Its own portal, so the minute of waiting overlaps the other browser tests instead of adding to them.
/// </summary>
public sealed class ScheduledJobTests(ScheduledJobTests.Portal portal) : IClassFixture<ScheduledJobTests.Portal>
{
    // Not the server's UTC: the form and the page must read and show the user's zone.
    private const string BrowserZone = "Europe/Berlin";

    [Fact]
    public async Task JobScheduledForTheNextMinute_StaysQueuedAndRunsAtItsTime_InTheUsersTimeZone()
    {
        await using var context = await portal.Chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.Server.BaseAddress.ToString(),
            TimezoneId = BrowserZone,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "scientist@ftl.local");

        // A small base model to fine-tune.
        await page.GotoAsync("/models");
        await PortalPage.WaitInteractiveAsync(page, "#pretrain-submit");
        await page.Locator(".mud-select:has(#pretrain-domain) .mud-input-control").ClickAsync();
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('northwind-registry')");
        await page.FillAsync("#pretrain-name", "scheduled-mlp");
        await page.FillAsync("#pretrain-hidden", "8");
        await page.ClickAsync("#pretrain-submit");
        var modelLink = page.Locator("[data-testid=model-link]", new() { HasText = "scheduled-mlp v1" });
        await Expect(modelLink).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await modelLink.ClickAsync();
        await page.WaitForURLAsync(new Regex("/models/[0-9a-f-]{36}$"));
        await PortalPage.WaitInteractiveAsync(page, "#finetune-submit");

        foreach (var box in await page.Locator("[data-testid=target-domain]").AllAsync())
        {
            var label = await page.Locator($"label[for='{await box.GetAttributeAsync("id")}']").InnerTextAsync();
            var keep = label.Contains("contoso-outpatients", StringComparison.Ordinal) || label.Contains("fabrikam-screening", StringComparison.Ordinal);
            if (await box.IsCheckedAsync() != keep)
            {
                await box.ClickAsync();
            }
        }

        await page.Locator("input#finetune-rounds, #finetune-rounds input").First.FillAsync("2");
        await page.Locator("input#finetune-epochs, #finetune-epochs input").First.FillAsync("1");

        // The form takes minutes in the user's zone: the next whole minute at least 40 s away.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(BrowserZone);
        var earliest = DateTimeOffset.UtcNow.AddSeconds(40);
        var dueUtc = new DateTimeOffset(earliest.Ticks - (earliest.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        var dueLocal = TimeZoneInfo.ConvertTime(dueUtc, zone);
        await page.CheckAsync("#timing-at");
        await Expect(page.Locator("label[for=timing-run-at]")).ToContainTextAsync(BrowserZone);
        await page.FillAsync("#timing-run-at", dueLocal.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.PressAsync("#timing-run-at", "Tab");
        await page.ClickAsync("#finetune-submit");

        await page.WaitForURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var jobId = Guid.Parse(page.Url[^36..]);
        await PortalPage.WaitInteractiveAsync(page, "#job-progress");
        await Expect(page.Locator("#job-status")).ToContainTextAsync("Queued");
        // Shown in the user's zone, not the server's UTC.
        await Expect(page.Locator("#job-scheduled-for")).ToContainTextAsync(dueLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + BrowserZone);

        // The page follows the job live until it has run; no reload.
        await Expect(page.Locator("#job-status")).ToContainTextAsync("Completed", new() { Timeout = 240_000 });
        await Expect(page.Locator("#job-started-at")).ToBeVisibleAsync();

        var response = await context.APIRequest.GetAsync($"/api/jobs/{jobId}");
        Assert.True(response.Ok, $"GET /api/jobs/{jobId} answered {response.Status}");
        using var job = JsonDocument.Parse(await response.TextAsync());
        var scheduledFor = job.RootElement.GetProperty("scheduledFor").GetDateTimeOffset();
        var startedAt = job.RootElement.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal(dueUtc, scheduledFor);
        // Not before its time; and at its time, give or take the scheduler's 1 s poll and a loaded test machine.
        Assert.True(startedAt >= dueUtc, $"started {startedAt:O}, before it was due at {dueUtc:O}");
        Assert.True(startedAt - dueUtc < TimeSpan.FromSeconds(30), $"started {startedAt:O}, {(startedAt - dueUtc).TotalSeconds:F1} s after it was due");
    }

    /// <summary>This class's own portal process and browser.</summary>
    public sealed class Portal : IAsyncLifetime
    {
        public PortalServer Server { get; } = new();

        public ChromiumFixture Chromium { get; } = new();

        public async Task InitializeAsync()
        {
            await Task.WhenAll(Server.InitializeAsync(), Chromium.InitializeAsync());
        }

        public async Task DisposeAsync()
        {
            await Chromium.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
