using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.ModelCards;

namespace FTLPortal.Infrastructure.Tests.ModelCards;

public sealed class ModelCardWriterTests
{
    private static ModelCardInput Input(string partnerName = "Contoso Clinics") => new()
    {
        Job = new PortalJob { Name = "ft", ParametersJson = "{}", CreatedBy = "scientist@ftl.local" },
        Parameters = new FineTuningParameters { FrozenLayers = ["dense1"], Rounds = 3, LocalEpochs = 2 },
        BaseModel = new BaseModel { Name = "mlp", ArchitectureJson = "{}", LayersJson = "[]", WeightsArtifact = "x", SourceDomainName = "src" },
        ClassNames = ["a", "b"],
        FeatureNames = ["f0", "f1"],
        Layers = [new ModelLayer("dense1", "dense", [4], 12), new ModelLayer("relu1", "relu", [4], 0), new ModelLayer("output", "dense", [2], 10)],
        Partners = [new PartnerResult(partnerName, "dom", 80, 20, 0.5, 0.6, 0.7, 0.4, 1)],
        Rounds = [new RoundLine(1, 1, 0, 0.5, 0.7)],
        WeightsSha256 = "abc",
        TrainableParameters = 10,
        FrozenParameters = 12,
        Strategy = "FedAvg",
    };

    [Fact]
    public void ToMarkdown_HasYamlFrontMatterWithFrozenLayersAndPartners_AndMitchellSections()
    {
        var md = ModelCardWriter.ToMarkdown(Input());
        var end = md.IndexOf("\n---\n", 4, StringComparison.Ordinal);

        Assert.StartsWith("---\n", md, StringComparison.Ordinal);
        Assert.True(end > 0);
        var front = md[..end];
        Assert.Contains("frozen_layers:\n  - dense1\n", front, StringComparison.Ordinal);
        Assert.Contains("  - name: Contoso Clinics\n", front, StringComparison.Ordinal);
        foreach (var section in new[] { "## Model details", "## Intended use", "## Factors", "## Metrics", "## Training data", "## Evaluation data", "## Quantitative analyses", "## Ethical considerations", "## Caveats and recommendations" })
        {
            Assert.Contains(section, md[end..], StringComparison.Ordinal);
        }

        Assert.Contains("| Contoso Clinics | 20 | 50.0% | 60.0% | 70.0% | +10.0 pt |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_QuotesYamlScalars_WhenNameCouldBreakYaml()
    {
        var md = ModelCardWriter.ToMarkdown(Input("Acme: \"R&D\""));

        Assert.Contains("  - name: \"Acme: \\\"R&D\\\"\"\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_CarriesTheSameFacts_AsValidJson()
    {
        using var doc = JsonDocument.Parse(ModelCardWriter.ToJson(Input()));
        var root = doc.RootElement;

        Assert.Equal("dense1", root.GetProperty("frozenLayers")[0].GetString());
        Assert.True(root.GetProperty("layers")[0].GetProperty("frozen").GetBoolean());
        Assert.Equal(0.7, root.GetProperty("partners")[0].GetProperty("federatedAccuracy").GetDouble());
    }
}
