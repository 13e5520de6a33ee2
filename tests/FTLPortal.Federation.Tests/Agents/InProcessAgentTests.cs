using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

public sealed class InProcessAgentTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,oops,y\n")]
    [InlineData("a,b,label\n1,2,x\n3,4\n")]
    [InlineData("a,b,target\n1,2,x\n3,4,y\n")]
    [InlineData("")]
    public async Task RegisterDomainAsync_ThrowsAndLeavesStorageEmpty_WhenCsvIsMalformed(string csv)
    {
        var agent = new InProcessAgent("acme", _temp.Path);

        await Assert.ThrowsAsync<DatasetFormatException>(
            () => agent.RegisterDomainAsync("d1", TestData.Text(csv), "label", Summary, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
        Assert.False(await agent.HasDomainAsync("d1", CancellationToken.None));
    }

    [Fact]
    public async Task RegisterDomainAsync_ThrowsAndLeavesStorageEmpty_WhenFileExceedsLimit()
    {
        var agent = new InProcessAgent("acme", _temp.Path, new InProcessAgentOptions { MaxUploadBytes = 1024 });
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 200, features: 4, classes: 2, seed: 1));

        DatasetFormatException error = await Assert.ThrowsAsync<DatasetFormatException>(
            () => agent.RegisterDomainAsync("big", csv, "label", Summary, CancellationToken.None));

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task RegisterDomainAsync_StoresFileAndReturnsSummary_WhenCsvIsValid()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        string csv = "f1,f2,label\n1,2,cat\n2,3,dog\n3,1,cat\n0.5,4,bird\n1.5,2.5,cat\n";

        DomainSummary summary = await agent.RegisterDomainAsync("pets", TestData.Text(csv), "label", Summary, CancellationToken.None);

        Assert.Equal(5, summary.Rows);
        Assert.Equal(["f1", "f2"], summary.FeatureNames);
        var histogram = summary.ClassNames.Zip(summary.ClassCounts).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 3, ["dog"] = 1, ["bird"] = 1 }, histogram);
        string stored = Assert.Single(Directory.GetFiles(_temp.Path, "*.csv"));
        Assert.Equal(csv, await File.ReadAllTextAsync(stored));
        Assert.Equal(3, Directory.GetFiles(_temp.Path).Length); // the data file, its sidecar and its fixed split, no temporary left
        Assert.True(await agent.HasDomainAsync("pets", CancellationToken.None));
    }

    [Fact]
    public async Task GetSummaryAsync_ReadsStoredDomain_WhenAgentIsRecreated()
    {
        TabularDataset data = TestData.Synthetic(rows: 60, features: 3, classes: 2, seed: 5);
        using (MemoryStream csv = TestData.ToCsv(data, "y"))
        {
            await new InProcessAgent("acme", _temp.Path).RegisterDomainAsync("d", csv, "y", Summary, CancellationToken.None);
        }

        var restarted = new InProcessAgent("acme", _temp.Path);
        DomainSummary summary = await restarted.GetSummaryAsync("d", Summary, CancellationToken.None);

        Assert.Equal(60, summary.Rows);
        Assert.Equal(data.ClassCounts().Sum(), summary.ClassCounts.Sum());
    }

    [Fact]
    public async Task DeleteDomainAsync_RemovesFilesAndForgetsDomain_WhenDomainExists()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 30, features: 2, classes: 2, seed: 2));
        await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);

        await agent.DeleteDomainAsync("d", CancellationToken.None);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
        await Assert.ThrowsAsync<DomainNotFoundException>(() => agent.GetSummaryAsync("d", Summary, CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public async Task RegisterDomainAsync_RejectsDomainId_WhenItIsNotAPlainFileName(string domainId)
    {
        var agent = new InProcessAgent("acme", _temp.Path);

        await Assert.ThrowsAsync<ArgumentException>(
            () => agent.RegisterDomainAsync(domainId, TestData.Text("a,label\n1,x\n2,y\n"), "label", Summary, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task TrainLocalAsync_ReturnsOnlyUnfrozenLayers_WhenDense1IsFrozen()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 120, features: 4, classes: 3, seed: 9));
        await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet global) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 3);

        ModelUpdate update = await agent.TrainLocalAsync(
            new LocalTrainingRequest
            {
                Round = 4,
                DomainId = "d",
                ArchitectureJson = architecture.ToJson(),
                GlobalWeights = TestData.Bytes(global),
                FrozenLayers = ["dense1"],
                Training = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.05f },
                ValidationFraction = 0.25,
                SplitSeed = 1,
            },
            CancellationToken.None);

        WeightSet weights = TestData.Weights(update.Weights);
        Assert.Equal(["output.weight", "output.bias"], weights.Names);
        Assert.NotEqual(global.Only(["output"]).Sha256(), weights.Sha256());
        Assert.Equal("acme", update.PartnerId);
        Assert.Equal(4, update.Round);
        // 120 rows: 24 test rows (one fold of five), then a quarter of the other 96 for validation.
        Assert.Equal(72, update.SampleCount);
        Assert.Equal(24, update.Validation.Rows);
        Assert.True(double.IsFinite(update.TrainLoss));
    }

    [Fact]
    public async Task TrainLocalAsync_ThrowsIncompatibleDomain_WhenDomainHasClassUnknownToModel()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 60, features: 4, classes: 3, seed: 9));
        await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet global) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 2);

        IncompatibleDomainException error = await Assert.ThrowsAsync<IncompatibleDomainException>(() => agent.TrainLocalAsync(
            new LocalTrainingRequest
            {
                DomainId = "d",
                ArchitectureJson = architecture.ToJson(),
                GlobalWeights = TestData.Bytes(global),
                Training = new TrainingOptions { Epochs = 1 },
            },
            CancellationToken.None));

        Assert.Contains("class_2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_MatchesValidationOfLocalTraining_WhenGivenTheTrainedWeights()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 100, features: 4, classes: 3, seed: 4));
        await agent.RegisterDomainAsync("d", csv, "label", Summary, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet global) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 3);
        ModelUpdate update = await agent.TrainLocalAsync(
            new LocalTrainingRequest
            {
                DomainId = "d",
                ArchitectureJson = architecture.ToJson(),
                GlobalWeights = TestData.Bytes(global),
                Training = new TrainingOptions { Epochs = 3 },
                SplitSeed = 8,
            },
            CancellationToken.None);

        EvaluationResult evaluation = await agent.EvaluateAsync(
            new EvaluationRequest { DomainId = "d", ArchitectureJson = architecture.ToJson(), Weights = update.Weights, SplitSeed = 8 },
            CancellationToken.None);

        // Same split, same standardization, same weights: the same numbers.
        Assert.Equal(update.Validation, evaluation);
    }

    [Fact]
    public async Task PretrainAsync_ReturnsModelThatBeatsChance_WhenDomainIsLearnable()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 300, features: 6, classes: 3, seed: 21));
        await agent.RegisterDomainAsync("src", csv, "label", Summary, CancellationToken.None);
        var epochs = new List<EpochMetrics>();

        PretrainResult result = await agent.PretrainAsync(
            new PretrainRequest
            {
                DomainId = "src",
                HiddenSizes = [16],
                Training = new TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 0.01f },
                SplitSeed = 3,
            },
            new SyncProgress<EpochMetrics>(epochs.Add),
            CancellationToken.None);

        ModelArchitecture architecture = ModelArchitecture.FromJson(result.ArchitectureJson);
        Assert.Equal(["dense1", "relu1", "output"], architecture.Layers.Select(l => l.Name));
        Assert.Equal(6, architecture.InputSize);
        Assert.Equal(192, result.TrainRows); // 300 rows − 60 test rows − 48 validation rows
        Assert.Equal(15, epochs.Count);
        Assert.Equal(15, result.History.Epochs.Count);
        Assert.True(result.Validation.Accuracy > 0.6, $"validation accuracy {result.Validation.Accuracy}");
        Assert.Equal(4, TestData.Weights(result.Weights).Count);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
