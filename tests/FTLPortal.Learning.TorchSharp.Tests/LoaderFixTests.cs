using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.TorchSharp.Tests;

public class LoaderFixTests
{
    private const string LibraryName = "libLibTorchSharp.so";

    private static readonly string[] SystemLibraries =
        ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];

    [Fact]
    public void Engine_LoadsAndTrainsAStep_OnThisMachine()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 32, Features = 4, Classes = 2, Seed = 1 });
        var engine = new TorchSharpEngine();
        using IEngineModel model = engine.Create(ModelArchitecture.Mlp(4, [8], data.ClassNames), seed: 1);
        float[] before = model.GetWeights()["dense1.weight"].Data;

        TrainingHistory history = model.Train(data, new TrainingOptions { Epochs = 1, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f });

        Assert.Single(history.Epochs);
        Assert.True(double.IsFinite(history.Epochs[0].TrainLoss));
        Assert.NotEqual(before, model.GetWeights()["dense1.weight"].Data);
    }

    [Fact]
    public void BuildStep_ChangesOnlyTheOutputCopy_WhereTheSystemLacksTheVersion()
    {
        string output = OutputCopy();
        string cache = CacheCopy();
        byte[] built = File.ReadAllBytes(output);
        byte[] original = File.ReadAllBytes(cache);
        Assert.Equal(original.Length, built.Length);
        int[] differences = Enumerable.Range(0, built.Length).Where(i => built[i] != original[i]).ToArray();

        if (SystemHasGlibcxx3432())
        {
            Assert.Empty(differences);
        }
        else
        {
            // Exactly one vna_flags byte gains VER_FLG_WEAK (2); the cache's copy keeps the strong requirement.
            int index = Assert.Single(differences);
            Assert.Equal(original[index] | 2, built[index]);
        }
    }

    private static string OutputCopy()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, LibraryName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibraryName),
        ];
        return candidates.First(File.Exists);
    }

    private static string CacheCopy()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibraryName);
    }

    private static bool SystemHasGlibcxx3432()
    {
        string library = SystemLibraries.First(File.Exists);
        byte[] bytes = File.ReadAllBytes(library);
        return bytes.AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;
    }
}
