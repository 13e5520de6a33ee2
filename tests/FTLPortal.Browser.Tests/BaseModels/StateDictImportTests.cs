using FTLPortal.Browser.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.TorchSharp.Tests.Import;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FTLPortal.Browser.Tests.BaseModels;

/// <summary>
/// A state_dict that Debian's PyTorch writes at test time, imported through the page of the real portal process, which
/// reads it with the TorchSharp engine plug-in's reader (loaded from engines/ beside the portal).
/// </summary>
[Collection(PortalFixtures.Name)]
public sealed class StateDictImportTests(PortalServer server, ChromiumFixture chromium) : IDisposable
{
    private static readonly string Architecture = new ModelArchitecture
    {
        InputSize = 5,
        ClassNames = ["low", "mid", "high"],
        Layers = [LayerSpec.Dense("dense1", 16), LayerSpec.Relu("relu1"), LayerSpec.BatchNorm("bn1"), LayerSpec.Dense("output", 3)],
    }.ToJson();

    // The PyTorch module's attribute names are the architecture's layer names.
    private const string Script = """
        import torch, torch.nn as nn
        torch.manual_seed(0)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.dense1 = nn.Linear(5, 16)
                self.relu1 = nn.ReLU()
                self.bn1 = nn.BatchNorm1d(16)
                self.output = nn.Linear(16, 3)
        torch.save(Net().state_dict(), 'torch-net.pt')
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("ftl-browser-statedict-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [PythonTorchFact]
    public async Task Scientist_ImportsAPythonWrittenStateDict_AndSeesItsLayersInTheFreezePlan()
    {
        (int code, string output) = PythonTorch.Run(Script, _folder);
        Assert.True(code == 0, output);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await ModelImportTests.OpenImportFormAsync(context, "python-state-dict", Architecture);
        await ModelImportTests.ChooseWeightsAsync(page, "torch-net.pt", await File.ReadAllBytesAsync(Path.Combine(_folder, "torch-net.pt")));
        await page.SelectOptionAsync("#import-format", "Detect");
        await page.ClickAsync("#import-submit");

        await Expect(page.Locator("#import-done")).ToContainTextAsync("python-state-dict v1", new() { Timeout = 60_000 });
        await Expect(page.Locator("#import-done")).ToContainTextAsync("num_batches_tracked");
        await ModelImportTests.OpenImportedModelAsync(page);
        await Expect(page.Locator("#model-origin")).ToContainTextAsync("state_dict");
        await Expect(page.Locator("[data-testid=layer-row]")).ToHaveCountAsync(4);
        await Expect(page.Locator("#freeze-dense1")).ToBeVisibleAsync();
        await Expect(page.Locator("#freeze-bn1")).ToBeVisibleAsync();
        await Expect(page.Locator("#freeze-output")).ToBeVisibleAsync();
    }
}
