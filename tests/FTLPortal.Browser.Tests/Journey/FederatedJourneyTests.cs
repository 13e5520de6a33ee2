using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Serialization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.Journey;

/// <summary>
/// The whole journey of issue 2 as people do it in the browser: a partner admin registers a domain, a data scientist
/// scores similarity, pre-trains a base model, freezes a layer, schedules federated fine-tuning, watches the rounds
/// arrive live and downloads the model card.
/// </summary>
[Collection(PortalFixtures.Name)]
public sealed class FederatedJourneyTests(PortalServer server, ChromiumFixture chromium)
{
    private const int Rounds = 6;
    private static readonly PageWaitForURLOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task Journey_FromUploadToModelCard_UpdatesLiveAndDownloadsCard()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), AcceptDownloads = true });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var failed = new ConcurrentQueue<string>();
        page.Response += (_, r) =>
        {
            if (r.Status >= 500)
            {
                failed.Enqueue($"{r.Status} {r.Url}");
            }
        };

        // 1–2. A partner admin signs in; a malformed file is refused with its message, a real one is summarized.
        await PortalPage.SignInAsync(page, "northwind-admin@ftl.local");
        await page.GotoAsync("/domains");
        await PortalPage.WaitInteractiveAsync(page, "#domain-file");
        await page.SetInputFilesAsync("#domain-file", new FilePayload { Name = "broken.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("f0,f1,label\n1,2,class_0\n3,oops,class_1\n") });
        await page.FillAsync("#domain-name", "broken");
        await page.ClickAsync("#domain-submit");
        await Expect(page.Locator("#upload-error")).ToContainTextAsync("not a number");
        await Expect(page.Locator("#upload-error")).ToContainTextAsync("Nothing was stored");
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "agents", "northwind"), "*broken*"));

        // A large domain makes every round take visible time, so the page can be seen updating between rounds.
        var clinic = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 20_000, Seed = 404, Noise = 1.2, CovariateShift = 0.5 });
        using var csv = new MemoryStream();
        CsvDatasetWriter.Write(clinic, csv);
        await page.SetInputFilesAsync("#domain-file", new FilePayload { Name = "northwind-clinics.csv", MimeType = "text/csv", Buffer = csv.ToArray() });
        await page.FillAsync("#domain-name", "northwind-clinics");
        await page.ClickAsync("#domain-submit");
        await page.WaitForURLAsync(new Regex("/domains/[0-9a-f-]{36}$"), Slow);
        await Expect(page.Locator("#summary-rows")).ToHaveTextAsync("20,000");
        await Expect(page.Locator("#class-histogram tbody tr")).ToHaveCountAsync(3);
        await PortalPage.SignOutAsync(page);

        // 3. The data scientist scores similarity over all four domains.
        await PortalPage.SignInAsync(page, "scientist@ftl.local");
        await page.GotoAsync("/similarity");
        await PortalPage.WaitInteractiveAsync(page, "#similarity-run");
        // The three demo domains and ours (other tests sharing this server may add their own).
        await Expect(page.Locator("#similarity-domains label", new() { HasText = "northwind-clinics" })).ToHaveCountAsync(1);
        var domainCount = await page.Locator("[data-testid=similarity-domain]").CountAsync();
        Assert.True(domainCount >= 4);
        await page.ClickAsync("#similarity-run");
        await Expect(page.Locator("#mmd-matrix tbody tr")).ToHaveCountAsync(domainCount, new() { Timeout = 60_000 });
        await Expect(page.Locator("#label-matrix tbody tr")).ToHaveCountAsync(domainCount);
        var diagonal = await page.Locator("#mmd-matrix tbody tr").First.Locator("td").First.GetAttributeAsync("data-value");
        Assert.Equal("0", diagonal);
        await Expect(page.Locator("[data-testid=transfer-row]")).ToHaveCountAsync(domainCount - 1);

        // 4. Pre-train a base model on northwind's registry (run by northwind's agent).
        await page.GotoAsync("/models");
        await PortalPage.WaitInteractiveAsync(page, "#pretrain-submit");
        // MudSelect keeps its value in a hidden input (the id); the visible field opens the list.
        await page.Locator(".mud-select:has(#pretrain-domain) .mud-input-control").ClickAsync();
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('northwind-registry')");
        await page.FillAsync("#pretrain-name", "journey-mlp");
        await page.FillAsync("#pretrain-hidden", "128, 64");
        await page.ClickAsync("#pretrain-submit");
        var modelLink = page.Locator("[data-testid=model-link]", new() { HasText = "journey-mlp v1" });
        await Expect(modelLink).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await modelLink.ClickAsync();

        // 5. The freeze plan lists the layers; dense1 stays frozen.
        await page.WaitForURLAsync(new Regex("/models/[0-9a-f-]{36}$"));
        await PortalPage.WaitInteractiveAsync(page, "#finetune-submit");
        await Expect(page.Locator("[data-testid=layer-row]")).ToHaveCountAsync(5);
        await Expect(page.Locator("#freeze-dense1")).ToBeCheckedAsync();
        await Expect(page.Locator("#freeze-output")).Not.ToBeCheckedAsync();
        // Targets default to every domain but the source; keep the three partners' own: contoso, fabrikam and ours.
        foreach (var box in await page.Locator("[data-testid=target-domain]").AllAsync())
        {
            var label = await page.Locator($"label[for='{await box.GetAttributeAsync("id")}']").InnerTextAsync();
            var keep = label.Contains("contoso-outpatients", StringComparison.Ordinal) || label.Contains("fabrikam-screening", StringComparison.Ordinal) || label.Contains("northwind-clinics", StringComparison.Ordinal);
            if (await box.IsCheckedAsync() != keep)
            {
                await box.ClickAsync();
            }
        }

        await Expect(page.Locator("[data-testid=target-domain]:checked")).ToHaveCountAsync(3);

        // 6. Schedule federated fine-tuning.
        await FillNumericAsync(page, "#finetune-rounds", Rounds);
        await FillNumericAsync(page, "#finetune-epochs", 8);
        await page.ClickAsync("#finetune-submit");
        await page.WaitForURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await PortalPage.WaitInteractiveAsync(page, "#job-progress");

        // 7. Watch it live: record every count of round rows the page shows, without any reload.
        await page.EvaluateAsync("""
            () => {
              window.__journeyMarker = 'same-document';
              window.__roundCounts = [];
              const record = () => {
                const n = document.querySelectorAll('[data-testid=round-row]').length;
                const a = window.__roundCounts;
                if (a.length === 0 || a[a.length - 1] !== n) a.push(n);
              };
              record();
              new MutationObserver(record).observe(document.body, { childList: true, subtree: true });
            }
            """);

        // 8. The model card arrives as a live notice, without reload.
        await Expect(page.Locator("#card-ready-notice")).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Expect(page.Locator("#job-status")).ToContainTextAsync("Completed");
        await Expect(page.Locator("#job-progress")).ToHaveAttributeAsync("data-progress", "100");
        Assert.Equal("same-document", await page.EvaluateAsync<string>("() => window.__journeyMarker"));
        var counts = await page.EvaluateAsync<int[]>("() => window.__roundCounts");
        Assert.Equal(Rounds * 3, counts[^1]);
        Assert.True(counts.Length >= 3, $"round rows should arrive in several live updates; counts seen: {string.Join(",", counts)}");
        Assert.Equal(counts.Order(), counts);

        var cardDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-card-md"));
        var card = await File.ReadAllTextAsync((await cardDownload.PathAsync())!);
        Assert.StartsWith("---\n", card, StringComparison.Ordinal);
        Assert.Contains("frozen_layers:\n  - dense1\n", card, StringComparison.Ordinal);
        foreach (var partner in new[] { "Northwind Health", "Contoso Clinics", "Fabrikam Labs" })
        {
            Assert.Contains($"  - name: {partner}", card, StringComparison.Ordinal);
        }

        var jsonDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-card-json"));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync((await jsonDownload.PathAsync())!)))
        {
            Assert.Equal(3, json.RootElement.GetProperty("partners").GetArrayLength());
        }

        var weightsDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-weights"));
        var weights = SafeTensorsFormat.FromBytes(await File.ReadAllBytesAsync((await weightsDownload.PathAsync())!));
        Assert.Equal([128, 8], weights["dense1.weight"].Shape);

        Assert.True(failed.IsEmpty, "Server errors: " + string.Join(", ", failed) + Environment.NewLine + server.Output);
    }

    private static async Task FillNumericAsync(IPage page, string selector, int value)
    {
        var input = page.Locator($"input{selector}, {selector} input").First;
        await input.FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await input.PressAsync("Tab");
    }
}
