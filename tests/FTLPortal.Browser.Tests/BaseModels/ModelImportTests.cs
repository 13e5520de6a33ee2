using System.Text.RegularExpressions;
using FTLPortal.Browser.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.BaseModels;

/// <summary>A data scientist imports a base model through the page and finds its layers in the freeze plan.</summary>
[Collection(PortalFixtures.Name)]
public sealed class ModelImportTests(PortalServer server, ChromiumFixture chromium)
{
    [Fact]
    public async Task Scientist_ImportsSafetensorsThroughThePage_AndSeesItsLayersInTheFreezePlan()
    {
        var architecture = ModelArchitecture.Mlp(6, [12, 6], ["yes", "no"]);
        var weights = SafeTensorsFormat.ToBytes(SequentialModel.Create(architecture, seed: 4).GetWeights());
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await OpenImportFormAsync(context, "browser-import", architecture.ToJson());
        await ChooseWeightsAsync(page, "browser-import.safetensors", weights);
        await page.ClickAsync("#import-submit");

        await Expect(page.Locator("#import-done")).ToContainTextAsync("browser-import v1");
        await Expect(page.Locator("[data-testid=model-link]", new() { HasText = "browser-import v1" })).ToHaveCountAsync(1);
        await OpenImportedModelAsync(page);
        await Expect(page.Locator("#model-origin")).ToContainTextAsync("Imported by scientist@ftl.local");
        await Expect(page.Locator("[data-testid=layer-row]")).ToHaveCountAsync(5);
        await Expect(page.Locator("#freeze-dense1")).ToBeCheckedAsync();
        await Expect(page.Locator("#freeze-dense2")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#freeze-output")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task Scientist_SeesTheTensorNamed_WhenTheWeightsDoNotFitTheArchitecture()
    {
        var architecture = ModelArchitecture.Mlp(6, [12], ["yes", "no"]);
        var other = SafeTensorsFormat.ToBytes(SequentialModel.Create(ModelArchitecture.Mlp(7, [12], ["yes", "no"]), seed: 4).GetWeights());
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await OpenImportFormAsync(context, "browser-misfit", architecture.ToJson());
        await ChooseWeightsAsync(page, "misfit.safetensors", other);
        await page.ClickAsync("#import-submit");

        await Expect(page.Locator("#import-error")).ToContainTextAsync("Tensor 'dense1.weight' has shape [12, 7]; the architecture expects [12, 6]");
        await Expect(page.Locator("#import-error")).ToContainTextAsync("Nothing was stored");
        await Expect(page.Locator("#import-submit")).ToBeEnabledAsync();
    }

    /// <summary>Signs in as the data scientist and fills the import form's name and architecture.</summary>
    internal static async Task<IPage> OpenImportFormAsync(IBrowserContext context, string name, string architectureJson)
    {
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await PortalPage.SignInAsync(page, "scientist@ftl.local");
        await page.GotoAsync("/models");
        await PortalPage.WaitInteractiveAsync(page, "#import-weights");
        await page.FillAsync("#import-name", name);
        await page.FillAsync("#import-architecture", architectureJson);
        return page;
    }

    /// <summary>Follows the success message's link to the imported model's page, with its freeze plan.</summary>
    internal static async Task OpenImportedModelAsync(IPage page)
    {
        await page.ClickAsync("#import-open");
        await page.WaitForURLAsync(new Regex("/models/[0-9a-f-]{36}$"));
        await PortalPage.WaitInteractiveAsync(page, "#freeze-plan");
    }

    /// <summary>
    /// Sets the file and waits until the form shows it was chosen. InputFile listens for the change only once its script
    /// has started after the first interactive render, so a file set before that is set again.
    /// </summary>
    internal static async Task ChooseWeightsAsync(IPage page, string name, byte[] content)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.SetInputFilesAsync("#import-weights", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = content });
            try
            {
                await Expect(page.Locator("#import-weights-chosen")).ToContainTextAsync(name, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
                // Not seen by the circuit yet: choose it again.
            }
        }
    }
}
