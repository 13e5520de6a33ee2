using System.Runtime.Loader;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.TorchSharp.Tests.Plugins;

public sealed class EnginePluginLoaderTests
{
    [Fact]
    public void Load_OffersTheTorchSharpEngine_FromItsOwnLoadContext()
    {
        using var folder = new PluginFolder().WithTorchSharp();

        EnginePluginSet plugins = EnginePluginLoader.Load(folder.Path, new EngineSettings());

        Assert.Empty(plugins.Failures);
        ITrainingEngine engine = Assert.Single(plugins.Engines);
        Assert.Equal("torchsharp", engine.Name);
        Assert.Equal("TorchSharp 0.107.0 / libtorch 2.10.0", engine.Version);
        // The plug-in's own copy of the engine assembly, not the one this test project references.
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(engine.GetType().Assembly));
        Assert.NotEqual(typeof(TorchSharpEngine), engine.GetType());
        Assert.Equal(["builtin", "torchsharp"], plugins.Catalog().Names);
    }

    [Fact]
    public void Load_GivesAnEngineThatTrains_WhenLoadedAsAPlugIn()
    {
        using var folder = new PluginFolder().WithTorchSharp();
        ITrainingEngine engine = Assert.Single(EnginePluginLoader.Load(folder.Path, new EngineSettings()).Engines);
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 48, Features = 4, Classes = 2, Seed = 5 });
        using IEngineModel model = engine.Create(ModelArchitecture.Mlp(4, [8], data.ClassNames), seed: 3);
        float[] before = model.GetWeights()["dense1.weight"].Data;

        TrainingHistory history = model.Train(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Optimizer = OptimizerKind.Adam, LearningRate = 0.01f });

        Assert.Equal(2, history.Epochs.Count);
        Assert.NotEqual(before, model.GetWeights()["dense1.weight"].Data);
    }

    [Fact]
    public void Load_ReportsAndSkipsABrokenPlugIn_KeepingTheOthers()
    {
        using var folder = new PluginFolder().WithTorchSharp().WithBrokenPlugin("aaa-broken");

        EnginePluginSet plugins = EnginePluginLoader.Load(folder.Path, new EngineSettings());

        EnginePluginFailure failure = Assert.Single(plugins.Failures);
        Assert.EndsWith("aaa-broken", failure.Folder, StringComparison.Ordinal);
        Assert.Contains("BadImageFormatException", failure.Reason, StringComparison.Ordinal);
        Assert.Equal("torchsharp", Assert.Single(plugins.Engines).Name);
    }

    [Fact]
    public void Load_GivesNoEngines_WhenTheFolderIsMissing()
    {
        EnginePluginSet plugins = EnginePluginLoader.Load(Path.Combine(Path.GetTempPath(), "ftl-no-such-" + Guid.NewGuid().ToString("N")), new EngineSettings());

        Assert.Empty(plugins.Engines);
        Assert.Empty(plugins.Failures);
        Assert.Equal(["builtin"], plugins.Catalog().Names);
    }
}
