using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Infrastructure.ModelCards;

namespace FTLPortal.Infrastructure.Tests.ModelCards;

public sealed class ModelCardWriterTests
{
    private static MetricInterval M(double value, double lower, double upper) => new(value, lower, upper);

    private static SplitMetrics Metrics(double accuracy, double balanced, string split = "test") => new()
    {
        Split = split,
        Rows = 20,
        Accuracy = M(accuracy, accuracy - 0.1, accuracy + 0.05),
        BalancedAccuracy = M(balanced, balanced - 0.1, balanced + 0.05),
        MacroF1 = M(0.6, 0.5, 0.7),
        RocAuc = M(0.8, 0.7, 0.9),
        Sensitivity = M(0.7, 0.5, 0.9),
        Specificity = M(0.75, 0.6, 0.9),
        Threshold = 0.5,
        PerClassRecall = [M(0.75, 0.6, 0.9), M(0.7, 0.5, 0.9)],
        ConfusionMatrix = [[9, 3], [3, 5]],
        MajorityBaselineAccuracy = M(0.6, 0.4, 0.8),
    };

    private static FineTuningEvaluation Evaluation(string partnerName, string domainName, bool negative = false, bool small = false) => new()
    {
        ClassNames = ["a", "b"],
        FinalRound = 3,
        RoundsRun = 3,
        BootstrapSamples = 1000,
        Domains =
        [
            new DomainEvaluation
            {
                PartnerId = Guid.NewGuid(),
                PartnerName = partnerName,
                DomainId = Guid.NewGuid(),
                DomainName = domainName,
                TrainRows = 80,
                CrossValidated = small,
                Federated = Metrics(0.7, negative ? 0.3 : 0.65),
                BaseModel = Metrics(0.5, 0.5),
                LocalOnly = Metrics(0.6, 0.6),
                LocalOnlyCrossValidated = small ? Metrics(0.62, 0.61, "cross-validation") : null,
                NegativeTransfer = negative,
            },
        ],
    };

    private static ModelCardInput Input(string partnerName = "Contoso Clinics", string domainName = "dom", string jobName = "ft", bool negative = false, bool small = false) => new()
    {
        Evaluation = Evaluation(partnerName, domainName, negative, small),
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

        Assert.Contains("| Metric | Federated (test) | Base model (test) | Local only (test) |", md, StringComparison.Ordinal);
        Assert.Contains("| Accuracy | 70.0% [60.0%, 75.0%] | 50.0% [40.0%, 55.0%] | 60.0% [50.0%, 65.0%] |", md, StringComparison.Ordinal);
        Assert.Contains("| ROC AUC | 80.0% [70.0%, 90.0%] |", md, StringComparison.Ordinal);
        Assert.Contains("| Majority-class baseline accuracy | 60.0% [40.0%, 80.0%] |", md, StringComparison.Ordinal);
        Assert.Contains("a: [9, 3]; b: [3, 5]", md, StringComparison.Ordinal);
        Assert.Contains("No negative transfer", md, StringComparison.Ordinal);
        Assert.DoesNotContain("**Negative transfer:**", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_FlagsNegativeTransfer_AndNotesTheKFoldEstimateOfASmallDomain()
    {
        var md = ModelCardWriter.ToMarkdown(Input(negative: true, small: true));

        Assert.Contains("**Negative transfer:** the federated model's balanced accuracy is below local-only", md, StringComparison.Ordinal);
        Assert.Contains("Negative transfer: federated fine-tuning did clearly worse than local-only fine-tuning (balanced accuracy, beyond both intervals) for: dom (Contoso Clinics)", md, StringComparison.Ordinal);
        Assert.Contains("| Metric | Federated (test) | Base model (test) | Local only (test) | Local only (k-fold) |", md, StringComparison.Ordinal);
        Assert.Contains("Small domain: its test fold holds only 20 rows", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPackageMarkdown_LeavesOutTheRunIdentifiers_AndIsTheSameForTwoRunsOfTheSameInputs()
    {
        var first = Input() with { WeightsSha256 = "0123456789abcdef" };
        var second = first with { Job = new PortalJob { Name = "another name", ParametersJson = "{}", CreatedBy = "other@ftl.local" }, GeneratedAt = first.GeneratedAt.AddHours(5) };

        var package = ModelCardWriter.ToPackageMarkdown(first);

        Assert.Equal(package, ModelCardWriter.ToPackageMarkdown(second));
        Assert.NotEqual(ModelCardWriter.ToMarkdown(first), ModelCardWriter.ToMarkdown(second));
        foreach (var identifier in new[] { first.Job.Id.ToString(), second.Job.Id.ToString()[..8], "scientist@ftl.local", "generated_at", ModelCardWriter.ModelName(first) })
        {
            Assert.DoesNotContain(identifier, package, StringComparison.Ordinal);
        }

        Assert.Contains(first.Job.Id.ToString(), ModelCardWriter.ToMarkdown(first), StringComparison.Ordinal);
        Assert.Contains("model_name: mlp-ft-01234567\n", package, StringComparison.Ordinal);
        Assert.Contains(ModelCardWriter.PackageRunIdentifiersNote, package, StringComparison.Ordinal);
        Assert.Contains("SHA-256 `0123456789abcdef`", package, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_LabelsTheKFoldColumnWithK_AndGivesTheFoldMean_WhenTheEstimateRecordsItsFolds()
    {
        var input = Input(small: true);
        var domain = input.Evaluation.Domains[0] with
        {
            LocalOnlyCrossValidated = Metrics(0.62, 0.61, "cross-validation") with { Rows = 60, Folds = 5, FoldMeanAccuracy = M(0.6, 0.5, 0.7) },
        };
        var md = ModelCardWriter.ToMarkdown(input with { Evaluation = input.Evaluation with { Domains = [domain] } });

        Assert.Contains("| Metric | Federated (test) | Base model (test) | Local only (test) | Local only (k-fold, k = 5) |", md, StringComparison.Ordinal);
        Assert.Contains("| Fold-mean accuracy \\(95 % t interval\\) | n/a | n/a | n/a | 60.0% [50.0%, 70.0%] |", md, StringComparison.Ordinal);
        Assert.Contains("also given by k-fold (k = 5) cross-validation over all its 60 rows, fold-mean accuracy 60.0% [50.0%, 70.0%].", md, StringComparison.Ordinal);
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
        Assert.Equal(0.7, root.GetProperty("evaluation").GetProperty("domains")[0].GetProperty("federated").GetProperty("accuracy").GetProperty("value").GetDouble());
        Assert.Equal("None", root.GetProperty("modelChoice").GetProperty("classWeighting").GetString());
    }

    [Fact]
    public void ToMarkdownAndToJson_NameTheEngineAndItsVersions_FromTheInput()
    {
        var input = Input() with { Engine = "torchsharp", EngineVersion = "TorchSharp 0.107.0 / libtorch 2.10.0" };

        var md = ModelCardWriter.ToMarkdown(input);
        using var json = JsonDocument.Parse(ModelCardWriter.ToJson(input));

        var front = md[..md.IndexOf("\n---\n", 4, StringComparison.Ordinal)];
        Assert.Contains("engine: TorchSharp 0.107.0 / libtorch 2.10.0\n", front, StringComparison.Ordinal);
        Assert.Contains("engine_name: torchsharp\n", front, StringComparison.Ordinal);
        Assert.Contains("- Training engine: torchsharp (TorchSharp 0.107.0 / libtorch 2.10.0).", md, StringComparison.Ordinal);
        Assert.Contains("trained locally with the torchsharp engine (TorchSharp 0.107.0 / libtorch 2.10.0)", md, StringComparison.Ordinal);
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", json.RootElement.GetProperty("training").GetProperty("engine").GetString());
        Assert.Equal("torchsharp", json.RootElement.GetProperty("training").GetProperty("engineName").GetString());
    }

    /// <summary>A job on the built-in engine whose second participant's agent trained with TorchSharp.</summary>
    private static ModelCardInput MixedInput() => Input() with
    {
        Partners =
        [
            new PartnerResult("Contoso Clinics", "dom", 80, 20, 0.5, 0.6, 0.7, 0.4, 0, Engine: "builtin", EngineVersion: "FTLPortal.Learning 1.0.0+abc"),
            new PartnerResult("Fabrikam Labs", "screening", 60, 15, 0.5, 0.6, 0.7, 0.4, 0, Engine: "torchsharp", EngineVersion: "TorchSharp 0.107.0 / libtorch 2.10.0"),
        ],
        EngineVersion = "FTLPortal.Learning 1.0.0+abc",
    };

    [Fact]
    public void ToMarkdown_NamesEachParticipantsEngineAndVersion_WhenTheyDiffer()
    {
        var md = ModelCardWriter.ToMarkdown(MixedInput());

        Assert.Contains(
            "- Training engines: builtin (FTLPortal.Learning 1.0.0+abc) for the job; per participant: Contoso Clinics (dom) builtin (FTLPortal.Learning 1.0.0+abc); Fabrikam Labs (screening) torchsharp (TorchSharp 0.107.0 / libtorch 2.10.0).",
            md,
            StringComparison.Ordinal);
        Assert.Contains("| Partner | Domain | Training rows | Engine |", md, StringComparison.Ordinal);
        Assert.Contains("| Fabrikam Labs | screening | 60 | torchsharp (TorchSharp 0.107.0 / libtorch 2.10.0) |", md, StringComparison.Ordinal);
        Assert.Contains("trained locally with the engine named in the table above", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYamlAndToJson_GiveEachPartnerItsEngine_WhenTheyDiffer()
    {
        var input = MixedInput();
        var md = ModelCardWriter.ToMarkdown(input);
        using var json = JsonDocument.Parse(ModelCardWriter.ToJson(input));

        var front = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(FrontMatter(md));
        var partners = ((List<object>)front["partners"]).Cast<Dictionary<object, object>>().ToList();
        Assert.Equal(["builtin", "torchsharp"], partners.Select(p => (string)p["engine_name"]));
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", partners[1]["engine"]);
        var fabrikam = json.RootElement.GetProperty("partners")[1];
        Assert.Equal("torchsharp", fabrikam.GetProperty("engine").GetString());
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", fabrikam.GetProperty("engineVersion").GetString());
        Assert.Equal("builtin", json.RootElement.GetProperty("training").GetProperty("engineName").GetString());
    }

    [Fact]
    public void ToMarkdown_KeepsOneEngineLineAndNoEngineColumn_WhenEveryParticipantUsedTheJobsEngine()
    {
        var input = Input() with
        {
            Partners = [new PartnerResult("Contoso Clinics", "dom", 80, 20, 0.5, 0.6, 0.7, 0.4, 0, Engine: "builtin", EngineVersion: "FTLPortal.Learning 1.0.0+abc")],
        };

        var md = ModelCardWriter.ToMarkdown(input);

        Assert.Contains("- Training engine: builtin (", md, StringComparison.Ordinal);
        Assert.Contains("| Partner | Domain | Training rows |\n", md, StringComparison.Ordinal);
        Assert.DoesNotContain("per participant", md, StringComparison.Ordinal);
        var front = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(FrontMatter(md));
        var partner = Assert.IsType<Dictionary<object, object>>(Assert.Single(Assert.IsType<List<object>>(front["partners"])));
        Assert.False(partner.ContainsKey("engine_name"));
    }

    [Fact]
    public void ToJson_NamesTheBuiltInEngineWithItsCommit_ByDefault()
    {
        using var json = JsonDocument.Parse(ModelCardWriter.ToJson(Input()));

        var training = json.RootElement.GetProperty("training");
        Assert.Equal("builtin", training.GetProperty("engineName").GetString());
        Assert.Equal(FTLPortal.Learning.Engines.BuiltInEngine.Instance.Version, training.GetProperty("engine").GetString());
        Assert.StartsWith("FTLPortal.Learning ", training.GetProperty("engine").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdownAndJson_OfAnImportedBaseModel_NameWhoImportedWhichFile_AndNoSourceDomain()
    {
        var imported = new BaseModel
        {
            Name = "torch-mlp", Origin = BaseModelOrigin.Imported, ArchitectureJson = "{}", LayersJson = "[]", WeightsArtifact = "x",
            ImportedBy = "scientist@ftl.local", ImportFormat = "state_dict", ImportFileSha256 = "f00d",
        };
        var input = Input() with { BaseModel = imported };

        var md = ModelCardWriter.ToMarkdown(input);
        using var json = JsonDocument.Parse(ModelCardWriter.ToJson(input));

        var line = md.Split('\n').Single(l => l.StartsWith("- Base model:", StringComparison.Ordinal));
        // Names are Markdown-escaped; the line says imported, by whom, and the upload's hash.
        Assert.StartsWith("- Base model: **torch-mlp v1**, imported by scientist", line, StringComparison.Ordinal);
        Assert.EndsWith("file, SHA-256 `f00d`).", line, StringComparison.Ordinal);
        Assert.DoesNotContain("pre-trained on domain", md, StringComparison.Ordinal);
        var baseModel = json.RootElement.GetProperty("baseModel");
        Assert.Equal("Imported", baseModel.GetProperty("origin").GetString());
        Assert.Equal(JsonValueKind.Null, baseModel.GetProperty("sourceDomainName").ValueKind);
        Assert.Equal("f00d", baseModel.GetProperty("importFileSha256").GetString());
    }
}
