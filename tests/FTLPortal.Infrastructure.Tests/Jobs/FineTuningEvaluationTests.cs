using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Packaging;
using FTLPortal.Federation.Rounds;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.ModelCards;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Issue 9's product wiring: model choice, per-round global evaluation, final test metrics, the card and the package.</summary>
public sealed class FineTuningEvaluationTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FineTuning_PageRoundsAndCardFinalNumbers_ComeFromTheSameEvaluationOfTheSameWeights()
    {
        var (job, targets) = await FineTuneAsync(new FineTuningParameters { Rounds = 3, LocalEpochs = 1, WeightDecay = 1e-4, ClassWeighting = ClassWeighting.Balanced });
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        var view = (await _host.Get<IJobEvaluationService>().GetAsync(PortalHost.Scientist, job.Id, default))!;
        var card = (await _host.Get<IModelCardService>().FindByJobAsync(PortalHost.Scientist, job.Id, default))!;
        var final = view.Final!;

        // Every round: the averaged model scored by every domain on its validation rows, labelled by domain.
        Assert.Equal(3 * targets.Count, rounds.Count);
        Assert.All(rounds, r => Assert.InRange(r.GlobalValidationAccuracy!.Value, 0, 1));
        Assert.All(rounds, r => Assert.False(string.IsNullOrEmpty(r.DomainName)));
        Assert.Equal([1, 2, 3], view.Rounds.Select(r => r.Round));

        // The final model is round 3's global model: its validation numbers are the last charted ones, per domain.
        Assert.Equal(3, final.FinalRound);
        foreach (var domain in final.Domains)
        {
            var last = rounds.Single(r => r.Round == 3 && r.DomainId == domain.DomainId);
            Assert.Equal(last.GlobalValidationAccuracy, domain.FederatedValidationAccuracy);
            Assert.Equal(last.GlobalValidationLoss, domain.FederatedValidationLoss);
            foreach (var metrics in new[] { domain.Federated!, domain.BaseModel!, domain.LocalOnly! })
            {
                Assert.Equal("test", metrics.Split);
                Assert.InRange(metrics.Accuracy.Value, metrics.Accuracy.Lower!.Value, metrics.Accuracy.Upper!.Value);
                Assert.True(metrics.Accuracy.Upper > metrics.Accuracy.Lower);
                Assert.Equal(metrics.Rows, metrics.ConfusionMatrix.Sum(row => row.Sum()));
                Assert.NotNull(metrics.MajorityBaselineAccuracy.Lower);
                if (final.ClassNames.Count == 2)
                {
                    Assert.NotNull(metrics.RocAuc);
                    Assert.NotNull(metrics.Sensitivity);
                    Assert.NotNull(metrics.Specificity);
                }
            }

            // The same test rows for all three models.
            Assert.Equal(domain.Federated!.Rows, domain.BaseModel!.Rows);
            Assert.Equal(domain.Federated.Rows, domain.LocalOnly!.Rows);
            Assert.Equal(
                FineTuningEvaluationRecorder.IsNegativeTransferOf(domain.Federated.BalancedAccuracy, domain.LocalOnly.BalancedAccuracy),
                domain.NegativeTransfer);

            // The card states the same numbers with the same labels.
            Assert.Contains($"### {domain.DomainName} ({domain.PartnerName})", card.Markdown, StringComparison.Ordinal);
            Assert.Contains(EvaluationSection.Format(domain.Federated.Accuracy), card.Markdown, StringComparison.Ordinal);
            Assert.Contains(EvaluationSection.Format(domain.LocalOnly.BalancedAccuracy), card.Markdown, StringComparison.Ordinal);
        }

        using var cardJson = JsonDocument.Parse(card.Json);
        var cardEvaluation = cardJson.RootElement.GetProperty("evaluation").Deserialize<FineTuningEvaluation>(WebJson)!;
        Assert.Equal(
            final.Domains.Select(d => (d.DomainId, d.Federated!.Accuracy, d.Federated.BalancedAccuracy, d.LocalOnly!.Accuracy)),
            cardEvaluation.Domains.Select(d => (d.DomainId, d.Federated!.Accuracy, d.Federated.BalancedAccuracy, d.LocalOnly!.Accuracy)));
        Assert.Contains("weight decay 0.0001; balanced class weights", card.Markdown, StringComparison.Ordinal);
        Assert.Equal("Balanced", cardJson.RootElement.GetProperty("modelChoice").GetProperty("classWeighting").GetString());
    }

    [Fact]
    public async Task ModelPackage_HoldsTheWeightsFileAndTheCardWithItsRealSha256_AndIdenticalRunsGiveIdenticalPackages()
    {
        var parameters = new FineTuningParameters { Rounds = 2, LocalEpochs = 1 };
        var (first, _) = await FineTuneAsync(parameters);
        var (second, _) = await FineTuneAsync(parameters, pretrain: false);
        var cards = _host.Get<IModelCardService>();
        var artifacts = _host.Get<IArtifactStore>();

        var card = (await cards.FindByJobAsync(PortalHost.Scientist, first.Id, default))!;
        var zip = (await cards.ReadPackageAsync(PortalHost.Scientist, first.Id, default))!;
        var package = ModelPackageReader.Read(new MemoryStream(zip));
        var weightsFile = (await artifacts.ReadAsync(card.WeightsArtifact, default))!;

        Assert.Equal(weightsFile, package.Weights);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package.Weights)), card.WeightsSha256);
        // The package's card: the weights' SHA-256, no run identifiers (job id, time), a pointer to the portal for them.
        Assert.Contains($"`{card.WeightsSha256}`", package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Id.ToString(), package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain("generated_at", package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.Contains(ModelCardWriter.PackageRunIdentifiersNote, package.ModelCardMarkdown, StringComparison.Ordinal);
        Assert.Contains(first.Id.ToString(), card.Markdown, StringComparison.Ordinal);
        using (var archive = new ZipArchive(new MemoryStream(zip)))
        {
            Assert.Contains(archive.Entries, e => e.FullName == ModelPackage.PreprocessingEntry);
        }

        // Reading the stored package twice gives the same bytes; the second identical run's weights file is byte-identical.
        Assert.Equal(zip, await cards.ReadPackageAsync(PortalHost.Scientist, first.Id, default));
        var secondCard = (await cards.FindByJobAsync(PortalHost.Scientist, second.Id, default))!;
        Assert.Equal(weightsFile, await artifacts.ReadAsync(secondCard.WeightsArtifact, default));
        Assert.Equal(card.WeightsSha256, secondCard.WeightsSha256);
        // And the two identical runs' packages are byte-identical, whose SHA-256 the job result states.
        Assert.Equal(zip, await cards.ReadPackageAsync(PortalHost.Scientist, second.Id, default));
        using (var result = JsonDocument.Parse(first.ResultJson!))
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), result.RootElement.GetProperty("PackageSha256").GetString());
        }

        // A partner admin whose partner took no part sees no package.
        Assert.Null(await cards.ReadPackageAsync(PortalHost.PartnerAdmin("northwind"), first.Id, default));
        Assert.NotNull(await cards.ReadPackageAsync(PortalHost.PartnerAdmin("contoso"), first.Id, default));
    }

    [Fact]
    public async Task FineTuning_StopsEarlyAndKeepsTheBestRound_WhenTheGlobalValidationLossStopsImproving()
    {
        var (job, _) = await FineTuneAsync(new FineTuningParameters { Rounds = 12, LocalEpochs = 3, LearningRate = 0.05, EarlyStoppingPatience = 1 });
        var rounds = await _host.Get<IJobService>().GetRoundsAsync(PortalHost.Scientist, job.Id, default);
        var final = FineTuningEvaluation.FromJson(job.EvaluationJson)!;
        var summaries = FineTuningEvaluationRecorder.GlobalRounds(rounds);

        Assert.True(final.RoundsRun < 12, $"ran {final.RoundsRun} rounds");
        Assert.Equal(final.RoundsRun, rounds.Max(r => r.Round));
        Assert.True(ValidationLossTrend.ShouldStop(summaries, 1));
        Assert.Equal(ValidationLossTrend.BestRound(summaries), final.FinalRound);
        Assert.NotNull(final.StoppedEarly);
        Assert.Equal(JobStatus.Completed, job.Status);
    }

    [Fact]
    public async Task RequestFineTuningAsync_RefusesModelChoiceOutOfRange_AndStoresNothing()
    {
        var jobs = _host.Get<IJobService>();
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var model = await _host.PretrainAsync(domains[0].Id, hiddenSize: 4, epochs: 1);
        var valid = new FineTuningParameters { BaseModelId = model.Id, TargetDomainIds = domains.Skip(1).Select(d => d.Id).ToList() };
        var before = (await jobs.ListAsync(PortalHost.Scientist, JobKind.FineTuning, default)).Count;

        var decay = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", valid with { WeightDecay = -0.1 }, default);
        var patience = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", valid with { EarlyStoppingPatience = 101 }, default);
        var fraction = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", valid with { ValidationFraction = 0.9 }, default);
        var weighting = await jobs.RequestFineTuningAsync(PortalHost.Scientist, "x", valid with { ClassWeighting = (ClassWeighting)7 }, default);

        Assert.Contains("Weight decay", decay.Error, StringComparison.Ordinal);
        Assert.Contains("Early stopping patience", patience.Error, StringComparison.Ordinal);
        Assert.Contains("validation fraction", fraction.Error, StringComparison.Ordinal);
        Assert.Contains("Class weighting", weighting.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await jobs.ListAsync(PortalHost.Scientist, JobKind.FineTuning, default)).Count);
    }

    [Fact]
    public async Task Pretraining_TrainsLogisticRegression_WithNoHiddenLayerAndBalancedLoss()
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var source = domains.Single(d => d.Name == "northwind-registry");
        var request = await _host.Get<IJobService>().RequestPretrainingAsync(
            PortalHost.Scientist,
            new PretrainingParameters { SourceDomainId = source.Id, ModelName = "logreg", HiddenSizes = [], Epochs = 5, ClassWeighting = ClassWeighting.Balanced, WeightDecay = 1e-3, EarlyStoppingPatience = 2, ValidationFraction = 0.25 },
            default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var model = (await _host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default)).Single(m => m.PretrainingJobId == job.Id);
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(model.LayersJson)!;
        Assert.Equal(["output"], layers.Where(l => l.ParameterCount > 0).Select(l => l.Name));
        Assert.True(model.ValidationAccuracy > 0.5, $"accuracy {model.ValidationAccuracy}");
    }

    private BaseModel? _model;

    private async Task<(PortalJob Job, List<Guid> Targets)> FineTuneAsync(FineTuningParameters parameters, bool pretrain = true)
    {
        var domains = await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var source = domains.Single(d => d.Name == "northwind-registry");
        if (pretrain || _model is null)
        {
            _model = await _host.PretrainAsync(source.Id, hiddenSize: 8, epochs: 3);
        }

        var targets = domains.Where(d => d.Id != source.Id).Select(d => d.Id).ToList();
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(
            PortalHost.Scientist, "eval", parameters with { BaseModelId = _model.Id, FrozenLayers = ["dense1"], TargetDomainIds = targets }, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);
        return (job, targets);
    }
}
