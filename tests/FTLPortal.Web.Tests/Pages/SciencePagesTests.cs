using System.Security.Claims;
using System.Text.Json;
using Bunit;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;
using FTLPortal.Web.BaseModels;
using FTLPortal.Web.Similarity;
using FTLPortal.Web.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Web.Tests.Pages;

/// <summary>Similarity, base models and the freeze plan, as a data scientist uses them.</summary>
public sealed class SciencePagesTests : PortalComponentTest
{
    private static readonly string[] Pixels = ["p0", "p1", "p2", "p3"];
    private static readonly string[] Garments = ["shirt", "trouser", "sneaker"];

    private readonly FakeDomainService _domains;
    private readonly FakeJobService _jobs;
    private readonly FakeBaseModelService _models;
    private readonly Domain _source;
    private readonly Domain _near;
    private readonly Domain _far;
    private readonly ClaimsPrincipal _scientist = TestUsers.WithRole(PortalRoles.DataScientist, email: "scientist@ftl.local");

    public SciencePagesTests()
    {
        _domains = Services.GetRequiredService<FakeDomainService>();
        _jobs = Services.GetRequiredService<FakeJobService>();
        _models = Services.GetRequiredService<FakeBaseModelService>();
        _domains.AddPartner(TestUsers.NorthPartner, "Northwind");
        _domains.AddPartner(TestUsers.SouthPartner, "Contoso");
        _source = _domains.AddDomain(TestUsers.NorthPartner, "fashion-full", 60_000, Pixels, Garments, consent: true);
        _near = _domains.AddDomain(TestUsers.SouthPartner, "fashion-rotated", 2_000, Pixels, Garments, consent: true);
        _far = _domains.AddDomain(TestUsers.SouthPartner, "fashion-tiny", 500, Pixels, Garments, consent: true);
    }

    [Fact]
    public void Similarity_NeedsTwoSelectedDomains_BeforeScoring()
    {
        var cut = RenderPage<SimilarityPage>(_scientist);
        Assert.False(cut.Find("#similarity-run").HasAttribute("disabled"));

        cut.Find($"#sim-{_near.Id}").Change(false);
        cut.Find($"#sim-{_far.Id}").Change(false);

        Assert.True(cut.Find("#similarity-run").HasAttribute("disabled"));
    }

    [Fact]
    public void Similarity_ScoresTheSelectedDomains_AndShowsTheJobsProgress()
    {
        var cut = RenderPage<SimilarityPage>(_scientist);
        cut.Find($"#sim-{_far.Id}").Change(false);

        cut.Find("#similarity-run").Click();

        var request = Assert.Single(_jobs.SimilarityRequests);
        Assert.Equal([_source.Id, _near.Id], request.DomainIds);
        Assert.Contains("Waiting for a worker", cut.Find("#similarity-progress").TextContent, StringComparison.Ordinal);
        // One job at a time from this page.
        Assert.True(cut.Find("#similarity-run").HasAttribute("disabled"));
    }

    [Fact]
    public void Similarity_ShowsBothMatrices_AndRanksSourcesForTheSmallestDomain()
    {
        AddCompletedSimilarity();

        var cut = RenderPage<SimilarityPage>(_scientist);

        Assert.Equal(9, cut.FindAll("#mmd-matrix td[data-value]").Count);
        Assert.NotNull(cut.Find("#label-matrix"));
        // Default target: fashion-tiny (500 rows); fashion-rotated is closer to it than fashion-full.
        var rows = cut.FindAll("[data-testid=transfer-row]");
        Assert.Equal(["fashion-rotated", "fashion-full"], rows.Select(r => r.Children[1].TextContent));
        Assert.Equal("0.031", rows[0].Children[2].TextContent);
    }

    [Fact]
    public void Similarity_SaysWhyTheLastJobFailed_InPlainWords()
    {
        _jobs.Jobs.Add(new PortalJob
        {
            Name = "similarity", Kind = JobKind.Similarity, ParametersJson = "{}", Status = JobStatus.Failed,
            Error = "System.TimeoutException: The agent of Contoso did not answer within 30 s.",
        });

        var cut = RenderPage<SimilarityPage>(_scientist);

        var error = cut.Find("#similarity-error").TextContent;
        Assert.Contains("The last similarity job failed: The agent of Contoso did not answer within 30 s.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("TimeoutException", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseModels_SaysNoneYet_AndOffersPreTraining()
    {
        var cut = RenderPage<BaseModelsPage>(_scientist);

        Assert.Contains("No base models yet", cut.Find("#models-grid").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("#pretrain-submit").HasAttribute("disabled"));
    }

    [Fact]
    public void BaseModels_ListsVersionedModels_AndThePreTrainingInProgress()
    {
        _models.Models.Add(Model(version: 2));
        _jobs.Jobs.Add(new PortalJob { Name = "pretrain fashion-mlp", Kind = JobKind.Pretraining, ParametersJson = "{}", Status = JobStatus.Running, Progress = 0.4, ProgressMessage = "Epoch 4 of 10" });

        var cut = RenderPage<BaseModelsPage>(_scientist);

        Assert.Equal(["fashion-mlp v2"], cut.FindAll("[data-testid=model-link]").Select(a => a.TextContent));
        var job = Assert.Single(cut.FindAll("[data-testid=pretraining-job]"));
        Assert.Contains("Epoch 4 of 10", job.TextContent, StringComparison.Ordinal);
        Assert.Contains("40 %", job.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseModels_RefusesMalformedLayerSizes_WithoutRequestingAJob()
    {
        var cut = RenderPage<BaseModelsPage>(_scientist);

        cut.Find("#pretrain-hidden").Input("64, many");
        cut.Find("#pretrain-form").Submit();

        Assert.Contains("'many' is not a layer size", cut.Find("#pretrain-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(_jobs.PretrainingRequests);
    }

    [Fact]
    public void BaseModelDetail_FreezesTheFirstLayerByDefault_AndCountsParameters()
    {
        var model = Model();
        _models.Models.Add(model);

        var cut = RenderModel(_scientist, model.Id);

        Assert.Equal(3, cut.FindAll("[data-testid=layer-row]").Count);
        Assert.True(cut.Find("#freeze-dense1").HasAttribute("checked"));
        // A layer without parameters has nothing to freeze.
        Assert.Empty(cut.FindAll("#freeze-relu1"));
        Assert.Equal("1,290 / 100,480", cut.Find("#parameter-split").TextContent);

        cut.Find("#freeze-dense2").Change(true);

        Assert.Equal("0 / 101,770", cut.Find("#parameter-split").TextContent);
    }

    [Fact]
    public void BaseModelDetail_TicksOnlyCompatibleTargets()
    {
        var model = Model();
        _models.Models.Add(model);
        _far.TrainingConsent = false;
        var other = _domains.AddDomain(TestUsers.SouthPartner, "tabular-clinic", 900, ["age", "bmi"], Garments, consent: true);

        var cut = RenderModel(_scientist, model.Id);

        var rows = cut.FindAll("[data-testid=target-row]");
        // Every domain but the source is a candidate.
        Assert.Equal(3, rows.Count);
        Assert.True(cut.Find($"#target-{_near.Id}").HasAttribute("checked"));
        Assert.False(cut.Find($"#target-{_far.Id}").HasAttribute("checked"));
        Assert.False(cut.Find($"#target-{other.Id}").HasAttribute("checked"));
        Assert.Equal(["true", "false", "false"], rows.Select(r => r.GetAttribute("data-compatible")));
        Assert.Contains("differs (2 features)", rows[2].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseModelDetail_OffersThePortalsEngines_AndSendsTheChosenOne()
    {
        var model = Model();
        _models.Models.Add(model);
        Services.GetRequiredService<FakeEngineChoices>().Available =
            [new(FineTuningParameters.BuiltInEngine, "FTLPortal.Learning 1.0.0+abc"), new("torchsharp", "TorchSharp 0.107.0 / libtorch 2.10.0")];

        var cut = RenderModel(_scientist, model.Id);

        var options = cut.FindAll("#finetune-engine option");
        Assert.Equal(["builtin", "torchsharp"], options.Select(o => o.GetAttribute("value")));
        Assert.Contains("TorchSharp 0.107.0 / libtorch 2.10.0", options[1].TextContent, StringComparison.Ordinal);
        cut.Find("#finetune-engine").Change("torchsharp");
        cut.Find("#finetune-form").Submit();

        Assert.Equal("torchsharp", _jobs.ScheduledFineTuning.Single().Engine);
    }

    [Fact]
    public void BaseModelDetail_NamesThePartnerAndOffersOnlyItsAgentsEngines_WhenItsAgentLacksTheChosenEngine()
    {
        var (model, fabrikam) = ModelWithAFabrikamTarget([FineTuningParameters.BuiltInEngine]);

        var cut = RenderModel(_scientist, model.Id);
        Assert.Empty(cut.FindAll("#finetune-participant-engines"));
        cut.Find("#finetune-engine").Change("torchsharp");

        Assert.Equal(
            "The agent of partner 'Fabrikam' does not offer the training engine 'torchsharp' (it offers: builtin); it trains with the engine chosen below.",
            cut.Find("#finetune-engine-not-offered").TextContent.Trim());
        var select = cut.Find("#participant-engine-fabrikam");
        // A labelled native select: reachable with Tab and chosen with the arrow keys.
        Assert.Equal("Engine for Fabrikam", cut.Find("label[for='participant-engine-fabrikam']").TextContent);
        Assert.Equal(["builtin"], select.QuerySelectorAll("option").Select(o => o.GetAttribute("value")));
        Assert.Single(cut.FindAll("[data-testid='participant-engine']"));
        cut.Find("#finetune-form").Submit();

        var sent = _jobs.ScheduledFineTuning.Single();
        Assert.Equal("torchsharp", sent.Engine);
        Assert.Equal(new Dictionary<string, string> { [fabrikam.ToString()] = FineTuningParameters.BuiltInEngine }, sent.ParticipantEngines);
    }

    [Fact]
    public void BaseModelDetail_SendsTheParticipantsChosenEngine_WhenItsAgentOffersSeveralOthers()
    {
        var (model, fabrikam) = ModelWithAFabrikamTarget([FineTuningParameters.BuiltInEngine, "mirror"]);

        var cut = RenderModel(_scientist, model.Id);
        cut.Find("#finetune-engine").Change("torchsharp");
        Assert.Equal(["builtin", "mirror"], cut.FindAll("#participant-engine-fabrikam option").Select(o => o.GetAttribute("value")));
        cut.Find("#participant-engine-fabrikam").Change("mirror");
        cut.Find("#finetune-form").Submit();

        Assert.Equal("mirror", _jobs.ScheduledFineTuning.Single().ParticipantEngines[fabrikam.ToString()]);
    }

    [Fact]
    public void BaseModelDetail_DropsTheParticipantEngine_WhenThatPartnersTargetIsUnticked()
    {
        var (model, _) = ModelWithAFabrikamTarget([FineTuningParameters.BuiltInEngine]);
        var fabrikamDomain = _domains.Domains.Single(d => d.Name == "fashion-fab").Id;

        var cut = RenderModel(_scientist, model.Id);
        cut.Find("#finetune-engine").Change("torchsharp");
        Assert.Single(cut.FindAll("#finetune-participant-engines"));
        cut.Find($"#target-{fabrikamDomain}").Change(false);
        Assert.Empty(cut.FindAll("#finetune-participant-engines"));
        cut.Find("#finetune-form").Submit();

        Assert.Empty(_jobs.ScheduledFineTuning.Single().ParticipantEngines);
    }

    /// <summary>Two engines, Contoso's and Northwind's agents offering both, and a Fabrikam target whose agent offers <paramref name="fabrikamEngines"/>.</summary>
    private (BaseModel Model, Guid Fabrikam) ModelWithAFabrikamTarget(string[] fabrikamEngines)
    {
        var model = Model();
        _models.Models.Add(model);
        var fabrikam = Guid.Parse("33333333-3333-3333-3333-333333333333");
        _domains.AddPartner(fabrikam, "Fabrikam");
        _domains.AddDomain(fabrikam, "fashion-fab", 800, Pixels, Garments, consent: true);
        var engines = Services.GetRequiredService<FakeEngineChoices>();
        engines.Available = [new(FineTuningParameters.BuiltInEngine, "FTLPortal.Learning 1.0.0+abc"), new("torchsharp", "TorchSharp 0.107.0 / libtorch 2.10.0"), new("mirror", "Mirror")];
        string[] both = [FineTuningParameters.BuiltInEngine, "torchsharp"];
        engines.Offers =
        [
            new(TestUsers.NorthPartner, "northwind", "Northwind", both),
            new(TestUsers.SouthPartner, "contoso", "Contoso", both),
            new(fabrikam, "fabrikam", "Fabrikam", fabrikamEngines),
        ];
        return (model, fabrikam);
    }

    [Fact]
    public void BaseModelDetail_SendsTheBuiltInEngine_WhenNoneIsChosen()
    {
        var model = Model();
        _models.Models.Add(model);

        var cut = RenderModel(_scientist, model.Id);
        cut.Find("#finetune-form").Submit();

        Assert.Equal(FineTuningParameters.BuiltInEngine, _jobs.ScheduledFineTuning.Single().Engine);
    }

    [Fact]
    public void BaseModelDetail_AcceptsTargetsWithOtherClasses_WhenTaskHeadsAreChosen()
    {
        var model = Model();
        _models.Models.Add(model);
        var other = _domains.AddDomain(TestUsers.SouthPartner, "fashion-footwear", 700, Pixels, ["boot", "sandal", "sneaker", "loafer"], consent: true);

        var cut = RenderModel(_scientist, model.Id);
        Assert.Equal("false", cut.Find($"#target-{other.Id}").Closest("tr")!.GetAttribute("data-compatible"));

        cut.Find("#fed-personalization").Change("MultiTask");

        var row = cut.Find($"#target-{other.Id}").Closest("tr")!;
        Assert.Equal("true", row.GetAttribute("data-compatible"));
        Assert.Contains("differ: own task head", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("head", cut.Find("[data-testid=layer-role][data-layer=dense2]").GetAttribute("data-role"));
    }

    [Fact]
    public void BaseModelDetail_SendsTheModelChoice_WeightDecayEarlyStoppingClassWeightsAndValidationFraction()
    {
        var model = Model();
        _models.Models.Add(model);
        var cut = RenderModel(_scientist, model.Id);

        cut.Find("#finetune-weight-decay").Input("0.01");
        cut.Find("#finetune-patience").Input("3");
        cut.Find("#finetune-validation-fraction").Input("0.3");
        cut.Find("#finetune-class-weighting").Change(nameof(ClassWeighting.Balanced));
        cut.Find("#finetune-form").Submit();

        cut.WaitForAssertion(() => Assert.Single(_jobs.ScheduledFineTuning));
        var sent = _jobs.ScheduledFineTuning[0];
        Assert.Equal((0.01, 3, ClassWeighting.Balanced, 0.3), (sent.WeightDecay, sent.EarlyStoppingPatience, sent.ClassWeighting, sent.ValidationFraction));
        Assert.Equal(model.Id, sent.BaseModelId);
    }

    [Fact]
    public void BaseModelDetail_SaysNotFound_ForAnUnknownModel()
    {
        var cut = RenderModel(_scientist, Guid.NewGuid());

        Assert.NotNull(cut.Find("#model-not-found"));
        Assert.Empty(cut.FindAll("#finetune-form"));
    }

    private BaseModel Model(int version = 1) => new()
    {
        Name = "fashion-mlp",
        Version = version,
        SourceDomainId = _source.Id,
        SourceDomainName = _source.Name,
        ArchitectureJson = "{}",
        // 784 inputs -> 128 -> ReLU -> 10 classes.
        LayersJson = JsonSerializer.Serialize(new List<ModelLayer>
        {
            new("dense1", "Dense", [128], (784 * 128) + 128),
            new("relu1", "ReLU", [128], 0),
            new("dense2", "Dense", [10], (128 * 10) + 10),
        }),
        WeightsArtifact = "models/fashion-mlp.safetensors",
        WeightsSha256 = "9f2c4e1ab07d5c3366e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6",
        ValidationAccuracy = 0.874,
        ValidationLoss = 0.3521,
        TrainRows = 48_000,
    };

    private void AddCompletedSimilarity()
    {
        var result = new SimilarityResult
        {
            DomainIds = [_source.Id, _near.Id, _far.Id],
            DomainNames = [_source.Name, _near.Name, _far.Name],
            Mmd = [[0, 0.052, 0.087], [0.052, 0, 0.031], [0.087, 0.031, 0]],
            LabelDistance = [[0, 0.12, 0.2], [0.12, 0, 0.09], [0.2, 0.09, 0]],
            EmbeddingDimension = 256,
            Bandwidth = 2,
        };
        _jobs.Jobs.Add(new PortalJob
        {
            Name = "similarity", Kind = JobKind.Similarity, ParametersJson = "{}", Status = JobStatus.Completed,
            ResultJson = JsonSerializer.Serialize(result), FinishedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero),
        });
    }

    private IRenderedComponent<TPage> RenderPage<TPage>(ClaimsPrincipal user)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        Render<TPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))));

    private IRenderedComponent<BaseModelDetailPage> RenderModel(ClaimsPrincipal user, Guid modelId) =>
        Render<BaseModelDetailPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(user))).Add(x => x.ModelId, modelId));
}
