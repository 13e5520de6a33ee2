using System.Security.Claims;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Security;
using FTLPortal.Web.BaseModels;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

/// <summary>The "Import a model" form on the base models page, and how imported models (no source domain) are shown.</summary>
public sealed class BaseModelImportFormTests : PortalComponentTest
{
    private const string Architecture = """{"inputSize":4,"classNames":["a","b"],"layers":[{"name":"output","kind":"dense","units":2}]}""";

    private static readonly PortalUserContext Scientist = new("s", "scientist@ftl.local", new HashSet<string> { PortalRoles.DataScientist }, null);

    private readonly FakeBaseModelImportService _imports;
    private readonly FakeBaseModelService _models;

    public BaseModelImportFormTests()
    {
        _imports = Services.GetRequiredService<FakeBaseModelImportService>();
        _models = Services.GetRequiredService<FakeBaseModelService>();
    }

    [Fact]
    public void Import_SendsNameArchitectureAndFormat_AndLinksTheImportedModel()
    {
        var stored = Imported("tabular-torch");
        _imports.Answer = _ => BaseModelImportResult.Success(stored, ["Tensor 'output.weight' converted from F16 to F32."]);
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));

        cut.Find("#import-architecture").Input(Architecture);
        Weights(cut).UploadFiles(InputFileContent.CreateFromBinary(new byte[300], "tabular-torch.pt"));
        cut.Find("#import-form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("tabular-torch v1", cut.Find("#import-done").TextContent, StringComparison.Ordinal));
        var (request, bytes) = Assert.Single(_imports.Requests);
        Assert.Equal(new BaseModelImport("tabular-torch", Architecture, BaseModelWeightsFormat.StateDict, "tabular-torch.pt"), request);
        Assert.Equal(300, bytes);
        Assert.Equal($"/models/{stored.Id}", cut.Find("#import-open").GetAttribute("href"));
        Assert.Contains("converted from F16", cut.Find("[data-testid=import-note]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#import-error"));
    }

    [Fact]
    public void Import_ShowsTheRefusalNamingTheTensor_AndSaysNothingWasStored()
    {
        _imports.Answer = _ => BaseModelImportResult.Failure(BaseModelImportRefusal.Invalid, "Tensor 'output.bias' is missing (shape [2] expected).");
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));

        cut.Find("#import-name").Input("m");
        cut.Find("#import-architecture").Input(Architecture);
        Weights(cut).UploadFiles(InputFileContent.CreateFromBinary(new byte[20], "m.safetensors"));
        cut.Find("#import-format").Change(nameof(BaseModelWeightsFormat.Detect));
        cut.Find("#import-form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Tensor 'output.bias' is missing", cut.Find("#import-error").TextContent, StringComparison.Ordinal));
        Assert.Contains("Nothing was stored", cut.Find("#import-error").TextContent, StringComparison.Ordinal);
        Assert.Equal(BaseModelWeightsFormat.Detect, Assert.Single(_imports.Requests).Request.Format);
        Assert.Empty(cut.FindAll("#import-done"));
    }

    [Fact]
    public void Import_RefusesAFileOverTheCap_WithoutUploadingIt()
    {
        var limit = Services.GetRequiredService<BaseModelImportLimits>().MaxUploadBytes;
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));

        Weights(cut).UploadFiles(InputFileContent.CreateFromBinary(new byte[limit + 1], "big.safetensors"));
        cut.Find("#import-form").Submit();

        Assert.Contains("the limit is 64 KB", cut.Find("#import-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(_imports.Requests);
    }

    [Fact]
    public void Import_AsksForTheWeights_WhenNoFileIsChosen()
    {
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));

        cut.Find("#import-form").Submit();

        Assert.Contains("Choose the weights file", cut.Find("#import-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(_imports.Requests);
    }

    [Fact]
    public void Import_DisablesSubmitAndShowsProgress_WhileTheRequestIsInFlight()
    {
        _imports.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));
        Weights(cut).UploadFiles(InputFileContent.CreateFromBinary(new byte[100], "m.safetensors"));

        cut.Find("#import-form").Submit();

        cut.WaitForAssertion(() => Assert.True(cut.Find("#import-submit").HasAttribute("disabled")));
        Assert.NotNull(cut.Find("#import-progress"));
        cut.Find("#import-form").Submit();
        _imports.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#import-submit").HasAttribute("disabled")));
        // The second submit arrived while the first was in flight and was ignored.
        Assert.Single(_imports.Requests);
    }

    [Fact]
    public void ArchitectureFile_FillsTheArchitectureField()
    {
        var cut = Render<BaseModelImportForm>(p => p.Add(f => f.User, Scientist));

        cut.FindComponents<InputFile>().Single(i => Id(i) == "import-architecture-file").UploadFiles(InputFileContent.CreateFromText(Architecture, "arch.json"));

        cut.WaitForAssertion(() => Assert.Equal(Architecture, cut.Find("#import-architecture").GetAttribute("value") ?? cut.Find("#import-architecture").TextContent));
    }

    [Fact]
    public void BaseModelsPage_ShowsImportedModelsWithoutASourceDomain_AndTheImportForm()
    {
        _models.Models.Add(Imported("torch-mlp"));

        var cut = Render<BaseModelsPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(User()))));

        Assert.Equal("Imported (safetensors)", cut.Find("[data-testid=model-imported]").TextContent.Trim());
        Assert.DoesNotContain("0.0 %", cut.Find("#models-grid").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("#import-form"));
    }

    [Fact]
    public void BaseModelDetail_OfAnImportedModel_SaysWhoImportedIt_AndMatchesTargetsByArchitecture()
    {
        var domains = Services.GetRequiredService<FakeDomainService>();
        domains.AddPartner(TestUsers.NorthPartner, "Northwind");
        var fits = domains.AddDomain(TestUsers.NorthPartner, "fits", 100, ["f1", "f2", "f3", "f4"], ["a", "b"], consent: true);
        var wider = domains.AddDomain(TestUsers.NorthPartner, "wider", 100, ["f1", "f2", "f3", "f4", "f5"], ["a", "b"], consent: true);
        var model = Imported("torch-mlp");
        _models.Models.Add(model);

        var cut = Render<BaseModelDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(User()))).Add(x => x.ModelId, model.Id));

        Assert.Contains("Imported by scientist@ftl.local (safetensors", cut.Find("#model-origin").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Pre-trained on", cut.Markup, StringComparison.Ordinal);
        var rows = cut.FindAll("[data-testid=target-row]").ToDictionary(r => r.TextContent.Contains("wider", StringComparison.Ordinal) ? wider.Id : fits.Id, r => r.GetAttribute("data-compatible"));
        Assert.Equal("true", rows[fits.Id]);
        Assert.Equal("false", rows[wider.Id]);
    }

    private static ClaimsPrincipal User() => TestUsers.WithRole(PortalRoles.DataScientist, email: "scientist@ftl.local");

    private static BaseModel Imported(string name) => new()
    {
        Name = name,
        Origin = BaseModelOrigin.Imported,
        ArchitectureJson = Architecture,
        LayersJson = JsonSerializer.Serialize(new List<ModelLayer> { new("output", "dense", [2], 10) }),
        WeightsArtifact = "models/x/weights.safetensors",
        WeightsSha256 = new string('a', 64),
        ImportedBy = "scientist@ftl.local",
        ImportFileSha256 = new string('b', 64),
        ImportFormat = "safetensors",
    };

    private static IRenderedComponent<InputFile> Weights(IRenderedComponent<BaseModelImportForm> cut) =>
        cut.FindComponents<InputFile>().Single(i => Id(i) == "import-weights");

    private static string? Id(IRenderedComponent<InputFile> input) =>
        input.Instance.AdditionalAttributes?.TryGetValue("id", out var id) == true ? id?.ToString() : null;
}
