using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.ModelCards;

namespace FTLPortal.Infrastructure.Tests.ModelCards;

public sealed class ModelCardWriterTests
{
    private static ModelCardInput Input(string partnerName = "Contoso Clinics", string domainName = "dom", string jobName = "ft") => new()
    {
        Job = new PortalJob { Name = jobName, ParametersJson = "{}", CreatedBy = "scientist@ftl.local" },
        Parameters = new FineTuningParameters { FrozenLayers = ["dense1"], Rounds = 3, LocalEpochs = 2 },
        BaseModel = new BaseModel { Name = "mlp", ArchitectureJson = "{}", LayersJson = "[]", WeightsArtifact = "x", SourceDomainName = "src" },
        ClassNames = ["a", "b"],
        FeatureNames = ["f0", "f1"],
        Layers = [new ModelLayer("dense1", "dense", [4], 12), new ModelLayer("relu1", "relu", [4], 0), new ModelLayer("output", "dense", [2], 10)],
        Partners = [new PartnerResult(partnerName, domainName, 80, 20, 0.5, 0.6, 0.7, 0.4, 1)],
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

    [Theory]
    [InlineData("Acme: \"R&D\"")]
    [InlineData("Evil\n---\nmodel_name: pwned")]
    [InlineData("x\n# Fake heading")]
    [InlineData("a | b | c |\n|---|---|")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("- [link](javascript:alert(1)) **bold** `code`")]
    [InlineData("...\n...")]
    [InlineData("true")]
    [InlineData("'single' & {flow: [1, 2]}")]
    public void ToMarkdown_FrontMatterReadsBackTheExactName_WhenNameIsHostile(string hostile)
    {
        var md = ModelCardWriter.ToMarkdown(Input(hostile, hostile));

        var yaml = FrontMatter(md);
        var front = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml);
        var partner = Assert.IsType<Dictionary<object, object>>(Assert.Single(Assert.IsType<List<object>>(front["partners"])));
        Assert.Equal(hostile, partner["name"]);
        Assert.Equal(hostile, partner["domain"]);
        Assert.StartsWith("mlp-ft-", (string)front["model_name"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Evil\n---\nmodel_name: pwned")]
    [InlineData("x\n# Fake heading")]
    [InlineData("x\n## Fake section")]
    [InlineData("a | b | c |\n|---|---|")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("[link](javascript:alert(1)) **bold** `code` ![i](x.png)")]
    public void ToMarkdown_BodyKeepsItsStructure_WhenNameIsHostile(string hostile)
    {
        var plain = ModelCardWriter.ToMarkdown(Input("Contoso", "dom"));
        var md = ModelCardWriter.ToMarkdown(Input(hostile, hostile, hostile));

        // The same line structure as a card with plain names: no new heading, table row, list item or block.
        Assert.Equal(Shape(plain), Shape(md));
        var body = md[(md.IndexOf("\n---\n", 4, StringComparison.Ordinal) + 5)..];
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("](javascript", body, StringComparison.Ordinal);
    }

    /// <summary>Each body line reduced to its block marker (heading level, table row with its cell count, list item, text).</summary>
    private static List<string> Shape(string md)
    {
        var body = md[(md.IndexOf("\n---\n", 4, StringComparison.Ordinal) + 5)..];
        return body.Split('\n').Select(line =>
            line.StartsWith('#') ? new string('#', line.TakeWhile(ch => ch == '#').Count())
            : line.StartsWith('|') ? "|" + line.Replace("\\|", "", StringComparison.Ordinal).Count(ch => ch == '|')
            : line.StartsWith("- ", StringComparison.Ordinal) ? "-"
            : line.Length == 0 ? "" : "p").ToList();
    }

    private static string FrontMatter(string md)
    {
        Assert.StartsWith("---\n", md, StringComparison.Ordinal);
        var end = md.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        Assert.True(end > 0);
        return md[4..end];
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
