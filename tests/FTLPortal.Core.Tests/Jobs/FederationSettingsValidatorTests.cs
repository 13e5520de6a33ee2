using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;

namespace FTLPortal.Core.Tests.Jobs;

public sealed class FederationSettingsValidatorTests
{
    private static readonly IReadOnlyList<ModelLayer> Mlp =
    [
        new("dense1", "dense", [16], 144),
        new("relu1", "relu", [16], 0),
        new("output", "dense", [3], 51),
    ];

    [Fact]
    public void Validate_AcceptsTheDefaults_AsPlainFedAvg()
    {
        var defaults = new FederationSettings();

        Assert.Null(FederationSettingsValidator.Validate(defaults, Mlp, [], 3));
        Assert.Equal("FedAvg", defaults.Describe());
        Assert.All(FederationLayerPlan.Roles(Mlp, [], defaults).Where(r => r.Layer.ParameterCount > 0), r => Assert.Equal(FederationLayerRole.Shared, r.Role));
    }

    [Theory]
    [InlineData(AggregationStrategyKind.Median)]
    [InlineData(AggregationStrategyKind.TrimmedMean)]
    [InlineData(AggregationStrategyKind.Krum)]
    [InlineData(AggregationStrategyKind.MultiKrum)]
    public void ValidateRequest_RefusesSecureAggregation_WithEveryRobustStrategy(AggregationStrategyKind strategy)
    {
        var settings = new FederationSettings { Strategy = strategy, SecureAggregation = true, MinParticipants = 5, KrumByzantine = 0 };

        Assert.Contains("exclude each other", FederationSettingsValidator.ValidateRequest(settings), StringComparison.Ordinal);
        Assert.Null(FederationSettingsValidator.ValidateRequest(settings with { SecureAggregation = false }));
    }

    [Fact]
    public void ValidateRequest_AllowsDistributedPrivacy_WhenSecureAggregationHasAFixedClip()
    {
        var settings = new FederationSettings { SecureAggregation = true, MinParticipants = 2, Privacy = new DifferentialPrivacySettings { ClipNorm = 0.5 } };

        Assert.Null(FederationSettingsValidator.ValidateRequest(settings));
        Assert.Contains(
            "adaptive clipping needs the count of unclipped updates at the coordinator",
            FederationSettingsValidator.ValidateRequest(settings with { Privacy = settings.Privacy with { AdaptiveClipping = true } }),
            StringComparison.Ordinal);
        Assert.Contains(
            "quantization cannot apply",
            FederationSettingsValidator.ValidateRequest(settings with { UpdateEncoding = UpdateEncodingKind.ScaledByte }),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesFedPer_WhenTheOnlyTrainableLayerIsTheHead()
    {
        var settings = new FederationSettings { Personalization = PersonalizationKind.FedPer };

        Assert.Null(FederationSettingsValidator.Validate(settings, Mlp, [], 3));
        Assert.Equal(["output"], FederationLayerPlan.PersonalLayers(Mlp, [], settings));
        // dense1 frozen, output personal: nothing left to share.
        Assert.Contains("leave at least one trainable layer", FederationSettingsValidator.Validate(settings, Mlp, ["dense1"], 3), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MakesOutputTheHead_WhenMultiTaskIsChosen()
    {
        var settings = new FederationSettings { Personalization = PersonalizationKind.MultiTask };

        Assert.Null(FederationSettingsValidator.Validate(settings, Mlp, [], 3));
        Assert.Equal(FederationLayerRole.Head, FederationLayerPlan.Roles(Mlp, [], settings).Single(r => r.Layer.Name == "output").Role);
        Assert.Equal(FederationLayerRole.Shared, FederationLayerPlan.Roles(Mlp, [], settings).Single(r => r.Layer.Name == "dense1").Role);
        // The output layer is re-sized per partner: it must be the head, so it can be neither frozen nor left shared.
        Assert.Contains("must include the output layer 'output'", FederationSettingsValidator.Validate(settings with { PersonalLayers = ["dense1"] }, Mlp, [], 3), StringComparison.Ordinal);
        Assert.NotNull(FederationSettingsValidator.Validate(settings, Mlp, ["output"], 3));
    }

    [Fact]
    public void ValidateRequest_RefusesPersonalizeAction_WithSecureAggregationOrRobustStrategy()
    {
        var settings = new FederationSettings { NegativeTransferAction = NegativeTransferAction.Personalize, MinParticipants = 2 };

        Assert.Null(FederationSettingsValidator.ValidateRequest(settings));
        Assert.Contains("Leave action", FederationSettingsValidator.ValidateRequest(settings with { SecureAggregation = true }), StringComparison.Ordinal);
        Assert.Contains("Leave action", FederationSettingsValidator.ValidateRequest(settings with { Strategy = AggregationStrategyKind.Median }), StringComparison.Ordinal);
        Assert.Null(FederationSettingsValidator.ValidateRequest(settings with { NegativeTransferAction = NegativeTransferAction.Leave, SecureAggregation = true }));
        Assert.Contains("Unknown negative-transfer action", FederationSettingsValidator.ValidateRequest(settings with { NegativeTransferAction = (NegativeTransferAction)9 }), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesFedBN_WhenTheModelHasNoBatchNormLayer()
    {
        var error = FederationSettingsValidator.Validate(new FederationSettings { Personalization = PersonalizationKind.FedBN }, Mlp, [], 3);

        Assert.Contains("FedBN keeps batch-normalization layers local", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAMinimumAboveTheTargets_AndKrumWithTooFewUpdates()
    {
        Assert.Contains("between 1 and the number of target domains (3)", FederationSettingsValidator.Validate(new FederationSettings { MinParticipants = 4 }, Mlp, [], 3), StringComparison.Ordinal);
        Assert.Contains("needs at least 3 updates", FederationSettingsValidator.Validate(new FederationSettings { Strategy = AggregationStrategyKind.Krum, KrumByzantine = 0 }, Mlp, [], 3), StringComparison.Ordinal);
        Assert.Null(FederationSettingsValidator.Validate(new FederationSettings { Strategy = AggregationStrategyKind.Krum, KrumByzantine = 0, MinParticipants = 3 }, Mlp, [], 3));
    }
}
