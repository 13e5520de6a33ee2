using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.TorchSharp.Tests.Conformance;

/// <summary>
/// Each engine checks the other: the same architecture and safetensors give the same predictions, the same initial weights
/// and batches give the same trained weights, frozen layers stay bit-identical on both, and weights move between them.
/// </summary>
public class EngineConformanceTests
{
    private const int Batch = 16;

    // 160 rows / 16 per batch × 5 epochs = 50 optimizer steps.
    private const int Epochs = 5;

    private static readonly EngineCatalog Engines = new(new TorchSharpEngine(new TorchSharpEngineOptions { Threads = 1 }));
    private static readonly ITrainingEngine BuiltIn = Engines.Get(BuiltInEngine.EngineName);
    private static readonly ITrainingEngine Torch = Engines.Get(TorchSharpEngine.EngineName);

    public static TheoryData<string> Kinds() => new(ConformanceModels.Kinds);

    public static TheoryData<string> EngineNames() => new(BuiltInEngine.EngineName, TorchSharpEngine.EngineName);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PredictProbabilities_AgreeTo1e5_SameArchitectureAndSafetensors(string kind)
    {
        ModelArchitecture architecture = ModelArchitecture.FromJson(ConformanceModels.Architecture(kind).ToJson());
        byte[] safetensors = SafeTensorsFormat.ToBytes(InitialWeights(kind, 11));
        TabularDataset data = ConformanceModels.Data(kind);

        float[] ours = Probabilities(BuiltIn, architecture, SafeTensorsFormat.FromBytes(safetensors), data);
        float[] theirs = Probabilities(Torch, architecture, SafeTensorsFormat.FromBytes(safetensors), data);

        AssertClose(ours, theirs, 1e-5f, "probabilities");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Train_SgdMomentum50Steps_AgreeTo1e4Relative(string kind)
    {
        TrainingOptions options = Options(OptimizerKind.Sgd) with { LearningRate = 0.02f, Momentum = 0.9f };

        AssertSameTraining(kind, options, 1e-4);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Train_Adam50Steps_AgreeTo1e3Relative(string kind)
    {
        AssertSameTraining(kind, Options(OptimizerKind.Adam) with { LearningRate = 0.01f }, 1e-3);
    }

    [Fact]
    public void Train_EveryOptionTogether_AgreeOnBothEngines()
    {
        // Nesterov, weight decay, clipping, per-layer multipliers (parameter groups), a warm-up + cosine schedule, label smoothing.
        TrainingOptions options = Options(OptimizerKind.Sgd) with
        {
            LearningRate = 0.05f,
            Momentum = 0.9f,
            Nesterov = true,
            WeightDecay = 1e-3f,
            MaxGradientNorm = 0.5f,
            LayerLearningRateMultipliers = new Dictionary<string, float> { ["dense1"] = 0.1f, ["output"] = 2f },
            Schedule = new WarmupSchedule(5, new CosineSchedule(0.1)),
            LabelSmoothing = 0.1f,
        };

        AssertSameTraining("mlp", options, 1e-4);
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW, LossKind.SoftmaxCrossEntropy)]
    [InlineData(OptimizerKind.Adam, LossKind.BinaryCrossEntropy)]
    [InlineData(OptimizerKind.Adam, LossKind.MeanSquaredError)]
    public void Train_OtherOptimizersAndLosses_AgreeTo1e3Relative(OptimizerKind optimizer, LossKind loss)
    {
        TrainingOptions options = Options(optimizer) with { LearningRate = 0.01f, WeightDecay = 0.01f, Loss = loss, Schedule = new StepSchedule(2, 0.5) };

        AssertSameTraining("batchnorm-mlp", options, 1e-3);
    }

    [Theory]
    [MemberData(nameof(EngineNames))]
    public void Train_LeavesFrozenLayersBitIdentical_OnEachEngine(string engineName)
    {
        ITrainingEngine engine = Engines.Get(engineName);
        WeightSet initial = InitialWeights("cnn", 5);
        using IEngineModel model = engine.Create(ConformanceModels.Architecture("cnn"), initial);

        model.Train(ConformanceModels.Data("cnn"), Options(OptimizerKind.Adam) with { FrozenLayers = new HashSet<string> { "conv1", "dense1" } });

        WeightSet trained = model.GetWeights();
        foreach (NamedTensor frozen in initial.Only(["conv1", "dense1"]))
        {
            Assert.Equal(frozen.Data, trained[frozen.Name].Data);
        }

        Assert.NotEqual(initial["output.weight"].Data, trained["output.weight"].Data);
    }

    [Theory]
    [InlineData("builtin", "torchsharp")]
    [InlineData("torchsharp", "builtin")]
    public void Create_LoadsWeightsTrainedByTheOtherEngine_SamePredictions(string trainedBy, string loadedBy)
    {
        ITrainingEngine trainer = Engines.Get(trainedBy);
        ITrainingEngine loader = Engines.Get(loadedBy);
        ModelArchitecture architecture = ConformanceModels.Architecture("batchnorm-cnn");
        TabularDataset data = ConformanceModels.Data("batchnorm-cnn");
        using IEngineModel model = trainer.Create(architecture, seed: 4);
        model.Train(data, Options(OptimizerKind.Adam) with { Epochs = 2 });
        byte[] saved = SafeTensorsFormat.ToBytes(model.GetWeights());

        float[] expected = Probabilities(model, data);
        float[] actual = Probabilities(loader, architecture, SafeTensorsFormat.FromBytes(saved), data);

        AssertClose(expected, actual, 1e-5f, "probabilities");
        Assert.Equal(model.Layers.SelectMany(l => l.ParameterNames), SafeTensorsFormat.FromBytes(saved).Names);
    }

    [Theory]
    [MemberData(nameof(EngineNames))]
    public void Train_RepeatsExactly_SameSeed(string engineName)
    {
        ITrainingEngine engine = Engines.Get(engineName);
        var architecture = new ModelArchitecture
        {
            InputSize = 6,
            ClassNames = ["a", "b", "c"],
            Layers = [LayerSpec.Dense("dense1", 16), LayerSpec.Relu("relu1"), LayerSpec.Dropout("drop1", 0.3f), LayerSpec.Dense("output", 3)],
        };
        TabularDataset data = ConformanceModels.Data("mlp");

        string Run()
        {
            using IEngineModel model = engine.Create(architecture, seed: 8);
            model.Train(data, Options(OptimizerKind.Adam) with { Epochs = 2, Seed = 21 });
            return model.GetWeights().Sha256();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Layers_DescribeTheSameTensors_OnBothEngines()
    {
        ModelArchitecture architecture = ConformanceModels.Architecture("batchnorm-cnn");
        using IEngineModel ours = BuiltIn.Create(architecture, seed: 1);
        using IEngineModel theirs = Torch.Create(architecture, seed: 1);

        Assert.Equal(ours.Layers, theirs.Layers, (a, b) =>
            a.Name == b.Name && a.Kind == b.Kind && a.OutputShape.SequenceEqual(b.OutputShape)
            && a.ParameterCount == b.ParameterCount && a.ParameterNames.SequenceEqual(b.ParameterNames));
        Assert.Contains("bn1.running_mean", theirs.GetWeights().Names);
    }

    private static void AssertSameTraining(string kind, TrainingOptions options, double relativeTolerance)
    {
        ModelArchitecture architecture = ConformanceModels.Architecture(kind);
        TabularDataset data = ConformanceModels.Data(kind);
        WeightSet initial = InitialWeights(kind, 2);
        using IEngineModel ours = BuiltIn.Create(architecture, initial);
        using IEngineModel theirs = Torch.Create(architecture, initial);

        TrainingHistory ourHistory = ours.Train(data, options);
        TrainingHistory theirHistory = theirs.Train(data, options);

        WeightSet a = ours.GetWeights();
        WeightSet b = theirs.GetWeights();
        Assert.Equal(a.Names, b.Names);
        string losses = string.Join(" ", ourHistory.Epochs.Zip(theirHistory.Epochs, (x, y) => $"{x.TrainLoss:F4}/{y.TrainLoss:F4}"));
        foreach (NamedTensor tensor in a)
        {
            AssertRelative(tensor.Data, b[tensor.Name].Data, relativeTolerance, $"{kind} {tensor.Name} (losses {losses})");
            Assert.NotEqual(initial[tensor.Name].Data, tensor.Data);
        }

        for (int e = 0; e < options.Epochs; e++)
        {
            Assert.Equal(ourHistory.Epochs[e].TrainLoss, theirHistory.Epochs[e].TrainLoss, 1e-3);
        }
    }

    private static void AssertRelative(float[] expected, float[] actual, double tolerance, string what)
    {
        double relative = RelativeDifference(expected, actual);
        Assert.True(relative <= tolerance, $"{what}: relative difference {relative:E2} > {tolerance:E0}");
    }

    private static TrainingOptions Options(OptimizerKind optimizer) =>
        new() { Epochs = Epochs, BatchSize = Batch, Optimizer = optimizer, Seed = 7, Shuffle = true };

    private static WeightSet InitialWeights(string kind, int seed)
    {
        using IEngineModel model = BuiltIn.Create(ConformanceModels.Architecture(kind), seed);
        WeightSet weights = model.GetWeights();

        // Non-trivial batch-norm state, so predictions depend on every tensor.
        foreach (NamedTensor tensor in weights.Where(t => t.Name.StartsWith("bn1.", StringComparison.Ordinal)))
        {
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                tensor.Data[i] += tensor.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + (0.1f * i) : 0.05f * (i - 2);
            }
        }

        return weights;
    }

    private static float[] Probabilities(ITrainingEngine engine, ModelArchitecture architecture, WeightSet weights, TabularDataset data)
    {
        using IEngineModel model = engine.Create(architecture, weights);
        return Probabilities(model, data);
    }

    private static float[] Probabilities(IEngineModel model, TabularDataset data)
    {
        var probabilities = new float[data.Rows * model.Architecture.OutputSize];
        model.PredictProbabilities(data.Features, data.Rows, probabilities);
        return probabilities;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = expected.Zip(actual, (x, y) => MathF.Abs(x - y)).Max();
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E2} > {tolerance:E0}");
    }

    private static double RelativeDifference(float[] a, float[] b)
    {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference += (double)(a[i] - b[i]) * (a[i] - b[i]);
            norm += (double)b[i] * b[i];
        }

        return Math.Sqrt(difference) / Math.Max(Math.Sqrt(norm), 1e-12);
    }
}
