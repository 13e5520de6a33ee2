using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using TorchSharp;

namespace FTLPortal.Learning.TorchSharp.Tests;

public class TorchSharpEngineTests
{
    private static readonly TabularDataset Data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 64, Features = 6, Classes = 3, Seed = 2 });

    [Fact]
    public void Constructor_SetsLibTorchThreads_FromOptions()
    {
        _ = new TorchSharpEngine(new TorchSharpEngineOptions { Threads = 1 });

        Assert.Equal(1, torch.get_num_threads());
    }

    [Fact]
    public void Version_NamesTorchSharpAndLibTorch_Always()
    {
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", new TorchSharpEngine().Version);
    }

    [Fact]
    public void Train_KeepsLiveTensorsAndMemoryFlat_OverManySteps()
    {
        var engine = new TorchSharpEngine(new TorchSharpEngineOptions { Threads = 1 });
        using IEngineModel model = engine.Create(ModelArchitecture.Mlp(6, [32, 16], Data.ClassNames), seed: 1);
        var options = new TrainingOptions { Epochs = 25, BatchSize = 8, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, MaxGradientNorm = 1f };
        model.Train(Data, options); // warm-up: libtorch's allocator and the JIT settle
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = ProcessMemory.ResidentBytes();

        model.Train(Data, options with { Epochs = 125 }); // 1,000 steps

        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssGrowth = ProcessMemory.ResidentBytes() - rssBefore;
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssGrowth < 32L * 1024 * 1024, $"resident memory grew by {rssGrowth / 1024} KiB over 1,000 steps");
    }

    [Fact]
    public void Create_RefusesWeights_NamingTheMissingTensor()
    {
        var engine = new TorchSharpEngine();
        ModelArchitecture architecture = ModelArchitecture.Mlp(6, [4], Data.ClassNames);
        using IEngineModel model = engine.Create(architecture, seed: 1);
        WeightSet partial = model.GetWeights().Except(["output"]);

        ArgumentException error = Assert.Throws<ArgumentException>(() => engine.Create(architecture, partial));

        Assert.Contains("output.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWeights_RefusesAMisshapenTensor_LeavingTheModelUnchanged()
    {
        using IEngineModel model = new TorchSharpEngine().Create(ModelArchitecture.Mlp(6, [4], Data.ClassNames), seed: 1);
        string before = model.GetWeights().Sha256();
        var bad = new WeightSet { { "dense1.bias", [5], new float[5] } };

        ArgumentException error = Assert.Throws<ArgumentException>(() => model.SetWeights(bad));

        Assert.Contains("dense1.bias", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.GetWeights().Sha256());
    }

    [Fact]
    public void Train_Refuses_UnknownFrozenLayer()
    {
        using IEngineModel model = new TorchSharpEngine().Create(ModelArchitecture.Mlp(6, [4], Data.ClassNames), seed: 1);

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            model.Train(Data, new TrainingOptions { FrozenLayers = new HashSet<string> { "nope" } }));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }
}
