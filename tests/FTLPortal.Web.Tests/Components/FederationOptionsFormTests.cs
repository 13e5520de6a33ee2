using Bunit;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.BaseModels;
using FTLPortal.Web.Tests.Support;

namespace FTLPortal.Web.Tests.Components;

public sealed class FederationOptionsFormTests : PortalComponentTest
{
    private static readonly IReadOnlyList<ModelLayer> Layers =
    [
        new("dense1", "dense", [16], 144),
        new("relu1", "relu", [16], 0),
        new("dense2", "dense", [16], 272),
        new("output", "dense", [3], 51),
    ];

    private FederationSettings _value = new();

    private IRenderedComponent<FederationOptionsForm> RenderForm(IReadOnlyCollection<string> frozen) =>
        Render<FederationOptionsForm>(p => p
            .Add(f => f.Value, _value)
            .Add(f => f.ValueChanged, v => _value = v)
            .Add(f => f.Layers, Layers)
            .Add(f => f.Frozen, frozen));

    private static Dictionary<string, string?> Roles(IRenderedComponent<FederationOptionsForm> cut) =>
        cut.FindAll("[data-testid=layer-role]").ToDictionary(r => r.GetAttribute("data-layer")!, r => r.GetAttribute("data-role"));

    [Fact]
    public void LayerRoles_ShowFrozenSharedAndLocalHead_WhenFedPerIsChosen()
    {
        var cut = RenderForm(new HashSet<string> { "dense1" });
        Assert.Equal(new Dictionary<string, string?> { ["dense1"] = "frozen", ["dense2"] = "shared", ["output"] = "shared" }, Roles(cut));

        cut.Find("#fed-personalization").Change("FedPer");

        Assert.Equal(PersonalizationKind.FedPer, _value.Personalization);
        Assert.Equal(new Dictionary<string, string?> { ["dense1"] = "frozen", ["dense2"] = "shared", ["output"] = "local" }, Roles(cut));
    }

    [Fact]
    public void LayerRoles_ShowOutputAsTaskHead_WhenMultiTaskIsChosen()
    {
        var cut = RenderForm(new HashSet<string> { "dense1" });

        cut.Find("#fed-personalization").Change("MultiTask");

        Assert.Equal(PersonalizationKind.MultiTask, _value.Personalization);
        Assert.Equal(new Dictionary<string, string?> { ["dense1"] = "frozen", ["dense2"] = "shared", ["output"] = "head" }, Roles(cut));
        Assert.Contains("sized to its classes", cut.Find("[data-layer=output]").TextContent, StringComparison.Ordinal);
        Assert.Contains("need not share the base model's classes", cut.Find("#fed-multitask-note").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeTransferAction_IsOffByDefaultAndBinds_WhenChosen()
    {
        var cut = RenderForm([]);
        Assert.Equal(NegativeTransferAction.None, _value.NegativeTransferAction);
        Assert.Empty(cut.FindAll("#fed-negative-transfer-note"));

        cut.Find("#fed-negative-transfer").Change("Leave");

        Assert.Equal(NegativeTransferAction.Leave, _value.NegativeTransferAction);
        Assert.Contains("local-only model", cut.Find("#fed-negative-transfer-note").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SecureAggregation_IsDisabledWithTheReason_WhenARobustStrategyIsChosen()
    {
        var cut = RenderForm([]);
        Assert.False(cut.Find("#fed-secagg").HasAttribute("disabled"));

        cut.Find("#fed-strategy").Change("TrimmedMean");

        Assert.Equal(AggregationStrategyKind.TrimmedMean, _value.Strategy);
        Assert.True(cut.Find("#fed-secagg").HasAttribute("disabled"));
        Assert.Contains("exclude each other", cut.Find("#fed-secagg-excluded").TextContent, StringComparison.Ordinal);
        // The strategy's own hyper-parameter appears and is bound.
        cut.Find("#fed-trim").Change("0.1");
        Assert.Equal(0.1, _value.TrimFraction);
    }

    [Fact]
    public void PrivacyFields_AppearAndBind_WhenDifferentialPrivacyIsTicked()
    {
        var cut = RenderForm([]);
        Assert.Empty(cut.FindAll("#fed-dp-noise"));

        cut.Find("#fed-dp").Change(true);
        cut.Find("#fed-dp-noise").Change("1.3");
        cut.Find("#fed-dp-budget").Change("8");
        cut.Find("#fed-dp-behavior").Change("Warn");
        cut.Find("#fed-dp-budget").Change("not a number");

        Assert.Equal(new DifferentialPrivacySettings { NoiseMultiplier = 1.3, EpsilonBudget = 8, BudgetBehavior = PrivacyBudgetBehavior.Warn }, _value.Privacy);

        cut.Find("#fed-dp-budget").Change("");
        Assert.Null(_value.Privacy!.EpsilonBudget);
    }
}
