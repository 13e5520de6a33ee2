using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Federation.Tests.Agents;

public sealed class FixedSplitTests(ITestOutputHelper output) : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EvaluateAsync_ScoresTheBaseModelOnlyOnRowsItNeverTrainedOn_WhenTheFineTuningJobHasAnotherSeed()
    {
        var agent = new InProcessAgent("source-site", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(TestData.Noise(300, 1)))
        {
            await agent.RegisterDomainAsync("source", csv, "label", Summary, CancellationToken.None);
        }

        // Pre-training memorizes its training rows (the labels are noise); its own validation score is chance.
        PretrainResult pretrained = await agent.PretrainAsync(
            new PretrainRequest
            {
                DomainId = "source",
                HiddenSizes = [64],
                Training = new TrainingOptions { Epochs = 150, BatchSize = 32, LearningRate = 0.01f, Seed = 3 },
                SplitSeed = 1,
            },
            null,
            CancellationToken.None);
        Assert.True(pretrained.History.Epochs[^1].TrainAccuracy > 0.95, $"train accuracy {pretrained.History.Epochs[^1].TrainAccuracy}");

        // The fine-tuning job scores the base model on the source domain with its own seed: before fixed splits, its
        // validation rows were mostly the base model's training rows, and the score came out near 90 %.
        EvaluationResult asSeenByJob = await agent.EvaluateAsync(
            new EvaluationRequest { DomainId = "source", ArchitectureJson = pretrained.ArchitectureJson, Weights = pretrained.Weights, SplitSeed = 2 },
            CancellationToken.None);
        EvaluationResult test = await agent.EvaluateAsync(
            new EvaluationRequest
            {
                DomainId = "source", ArchitectureJson = pretrained.ArchitectureJson, Weights = pretrained.Weights, SplitSeed = 2,
                Split = EvaluationSplits.Test,
            },
            CancellationToken.None);

        Assert.Equal(pretrained.Validation.Accuracy, asSeenByJob.Accuracy);
        Assert.True(asSeenByJob.Accuracy < 0.7, $"the base model scored {asSeenByJob.Accuracy:P1} on noise: it was scored on training rows");
        Assert.True(test.Accuracy < 0.7, $"test accuracy {test.Accuracy:P1} on noise");
        Assert.Equal(pretrained.Test!.Accuracy, test.Accuracy);
        Assert.Equal(EvaluationSplits.Test, test.Split);
        Assert.NotNull(test.Report);
        Assert.Equal(1000, test.Report.BootstrapSamples);

        // The old protocol, a validation split drawn with the job's seed, does include training rows, and shows the leak.
        TabularDataset data = TestData.Noise(300, 1);
        (TabularDataset oldTrain, TabularDataset oldValidation) = DatasetSplit.TrainValidation(data, 0.2, 2);
        SequentialModel model = SequentialModel.Create(ModelArchitecture.FromJson(pretrained.ArchitectureJson), TestData.Weights(pretrained.Weights));
        var fixedTrain = data.Subset([.. (await agent.SplitRowsAsync("source", 0.2, CancellationToken.None)).Train]);
        double leaked = Evaluator.Evaluate(model, Standardizer.Fit(fixedTrain).Transform(oldValidation)).Accuracy;
        output.WriteLine($"base model on noise: job-seeded split {leaked:P1}, fixed validation {asSeenByJob.Accuracy:P1}, fixed test {test.Accuracy:P1}");
        Assert.True(leaked > asSeenByJob.Accuracy + 0.15, $"job-seeded split {leaked:P1} vs fixed split {asSeenByJob.Accuracy:P1}");
        Assert.True(oldTrain.Rows > 0);

        SplitRows rows = await agent.SplitRowsAsync("source", 0.2, CancellationToken.None);
        Assert.Equal(pretrained.TrainRows, rows.Train.Count);
        Assert.Empty(rows.Train.Intersect(rows.Test));
        Assert.Empty(rows.Train.Intersect(rows.Validation));
        Assert.Empty(rows.Validation.Intersect(rows.Test));
        Assert.Equal(300, rows.Train.Count + rows.Validation.Count + rows.Test.Count);
    }

    [Theory]
    [InlineData(11, 12)]
    [InlineData(5, 500)]
    public async Task Jobs_UseTheSameSplitForPretrainingFineTuningAndBaselines_ForTwoJobSeeds(int firstSeed, int secondSeed)
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 200, features: 4, classes: 2, seed: 4)))
        {
            await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        }

        async Task<(PretrainResult Pretrained, ModelUpdate Update, LocalBaselineResult Baseline, EvaluationResult Test)> Job(int seed)
        {
            PretrainResult pretrained = await agent.PretrainAsync(
                new PretrainRequest
                {
                    DomainId = "d", HiddenSizes = [8], SplitSeed = seed,
                    Training = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 1 },
                },
                null,
                CancellationToken.None);
            var plan = new FineTuningPlan
            {
                ArchitectureJson = pretrained.ArchitectureJson,
                InitialWeights = pretrained.Weights,
                Rounds = 1,
                Local = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 2 },
                Participants = [new Participant("acme", "d", agent)],
                SplitSeed = seed,
            };
            ModelUpdate update = await agent.TrainLocalAsync(
                new LocalTrainingRequest
                {
                    DomainId = "d", ArchitectureJson = plan.ArchitectureJson, GlobalWeights = plan.InitialWeights,
                    Training = plan.Local, SplitSeed = seed,
                },
                CancellationToken.None);
            LocalBaselineResult baseline = (await new LocalBaseline().RunAsync(plan)).Single();
            EvaluationResult test = await agent.EvaluateAsync(
                new EvaluationRequest
                {
                    DomainId = "d", ArchitectureJson = plan.ArchitectureJson, Weights = plan.InitialWeights, SplitSeed = seed,
                    Split = EvaluationSplits.Test,
                },
                CancellationToken.None);
            return (pretrained, update, baseline, test);
        }

        var first = await Job(firstSeed);
        var second = await Job(secondSeed);

        Assert.Equal(first.Pretrained.Weights, second.Pretrained.Weights);
        Assert.Equal(first.Pretrained.Test, second.Pretrained.Test);
        Assert.Equal(first.Update.Weights, second.Update.Weights);
        Assert.Equal(first.Update.Validation, second.Update.Validation);
        Assert.Equal(first.Baseline.Test!.Report!.Accuracy, second.Baseline.Test!.Report!.Accuracy);
        Assert.Equal(first.Test.Report!.RocAuc, second.Test.Report!.RocAuc);
        Assert.Equal(first.Test.Rows, first.Baseline.Test.Rows);
    }

    [Fact]
    public async Task RegisterDomainAsync_KeepsTheSplitBesideTheData_AndAnotherAgentOnTheFolderReadsTheSameSplit()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 150, features: 3, classes: 3, seed: 2)))
        {
            await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        }

        Assert.True(File.Exists(Path.Combine(_temp.Path, "d.split.json")));
        SplitRows before = await agent.SplitRowsAsync("d", 0.2, CancellationToken.None);
        SplitRows after = await new InProcessAgent("acme", _temp.Path).SplitRowsAsync("d", 0.2, CancellationToken.None);
        Assert.Equal(before.Test, after.Test);
        Assert.Equal(before.Validation, after.Validation);

        await agent.DeleteDomainAsync("d", CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "d.split.json")));
    }

    [Fact]
    public async Task EvaluateAsync_GivesAClearError_WhenTheStoredSplitDoesNotMatchTheData()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using (MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 150, features: 3, classes: 3, seed: 2)))
        {
            await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        }

        DomainSplit ofAnotherSize = DomainSplit.Create(TestData.Synthetic(rows: 120, features: 3, classes: 3, seed: 2), "d");
        await File.WriteAllTextAsync(Path.Combine(_temp.Path, "d.split.json"), DomainSplitFile.Serialize(ofAnotherSize));

        (ModelArchitecture architecture, Learning.Tensors.WeightSet weights) = TestData.SmallMlp(inputs: 3, classes: 3);
        var fresh = new InProcessAgent("acme", _temp.Path);
        DatasetFormatException error = await Assert.ThrowsAsync<DatasetFormatException>(() => fresh.EvaluateAsync(
            new EvaluationRequest { DomainId = "d", ArchitectureJson = architecture.ToJson(), Weights = TestData.Bytes(weights) },
            CancellationToken.None));
        Assert.Contains("does not match the domain's 150 rows", error.Message, StringComparison.Ordinal);
    }
}
