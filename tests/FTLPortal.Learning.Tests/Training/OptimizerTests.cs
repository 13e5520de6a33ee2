using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

/// <summary>
/// Three full-batch steps of a 2→2 linear softmax model from fixed weights, compared with torch.optim (1.13) on the same data;
/// the expected weights (weight row-major, then bias) were printed by PyTorch.
/// </summary>
public class OptimizerTests
{
    private static readonly TabularDataset Data = new(
        ["x0", "x1"], ["a", "b"], [1f, 2f, -1f, 0.5f, 0.3f, -0.7f, 2f, 1f], [0, 1, 1, 0]);

    public static TheoryData<string, float[]> TorchCases => new()
    {
        { "momentum", [0.70415711f, -4.5357439e-05f, -0.10415708f, 0.05004537f, 0.03833696f, -0.08833697f] },
        { "nesterov_wd", [0.76101553f, 0.07994387f, -0.16583654f, -0.03034561f, 0.01733304f, -0.06693128f] },
        { "adam_wd", [0.52997065f, -0.22001699f, 0.07002457f, 0.27001682f, 0.0199505f, -0.06996672f] },
        { "adamw", [0.52843761f, -0.21930791f, 0.06976423f, 0.26915807f, 0.04542041f, -0.09527056f] },
        { "clip", [0.56718093f, -0.16799721f, 0.03281906f, 0.21799721f, 0.04743257f, -0.09743258f] },
        { "step", [0.76930165f, 0.08392707f, -0.16930166f, -0.03392706f, 0.00416248f, -0.05416248f] },
    };

    private static TrainingOptions Options(string name) => name switch
    {
        "momentum" => Base(OptimizerKind.Sgd, 0.1f) with { Momentum = 0.9f },
        "nesterov_wd" => Base(OptimizerKind.Sgd, 0.1f) with { Momentum = 0.9f, Nesterov = true, WeightDecay = 0.01f },
        "adam_wd" => Base(OptimizerKind.Adam, 0.01f) with { WeightDecay = 0.1f },
        "adamw" => Base(OptimizerKind.AdamW, 0.01f) with { WeightDecay = 0.1f },
        "clip" => Base(OptimizerKind.Sgd, 0.5f) with { MaxGradientNorm = 0.1f },
        _ => Base(OptimizerKind.Sgd, 0.5f) with { Schedule = new StepSchedule(1, 0.5) },
    };

    private static TrainingOptions Base(OptimizerKind optimizer, float learningRate) =>
        new() { Epochs = 3, BatchSize = 0, Shuffle = false, Optimizer = optimizer, LearningRate = learningRate };

    private static SequentialModel Linear()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(2, [], ["a", "b"]), seed: 1);
        model.SetWeights(new WeightSet(
        [
            new NamedTensor("output.weight", [2, 2], [0.5f, -0.25f, 0.1f, 0.3f]),
            new NamedTensor("output.bias", [2], [0.05f, -0.1f]),
        ]));
        return model;
    }

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Train_MatchesTorchOptim_ForOptimizerSettings(string name, float[] expected)
    {
        SequentialModel model = Linear();

        Trainer.Train(model, Data, Options(name));

        WeightSet weights = model.GetWeights();
        float[] actual = [.. weights["output.weight"].Data, .. weights["output.bias"].Data];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) < 2e-6f, $"{name}[{i}]: {actual[i]} vs torch {expected[i]}");
        }
    }

    [Fact]
    public void Train_LeavesLayerUnchanged_WhenItsLearningRateMultiplierIsZero()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 100, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(data.FeatureCount, [8], data.ClassNames), seed: 3);
        WeightSet before = model.GetWeights();

        Trainer.Train(model, data, new TrainingOptions
        {
            Epochs = 2,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 0.1f,
            LayerLearningRateMultipliers = new Dictionary<string, float> { ["dense1"] = 0f },
        });

        WeightSet after = model.GetWeights();
        Assert.Equal(before["dense1.weight"].Data, after["dense1.weight"].Data);
        Assert.NotEqual(before["output.weight"].Data, after["output.weight"].Data);
    }

    [Fact]
    public void Train_ScalesTheFirstStep_ByTheLayerMultiplier()
    {
        var once = Base(OptimizerKind.Sgd, 0.1f) with { Epochs = 1 };
        SequentialModel plain = Linear();
        SequentialModel doubled = Linear();

        Trainer.Train(plain, Data, once);
        Trainer.Train(doubled, Data, once with { LayerLearningRateMultipliers = new Dictionary<string, float> { ["output"] = 2f } });

        float[] start = Linear().GetWeights()["output.weight"].Data;
        float[] a = plain.GetWeights()["output.weight"].Data;
        float[] b = doubled.GetWeights()["output.weight"].Data;
        for (int i = 0; i < start.Length; i++)
        {
            Assert.Equal(2 * (a[i] - start[i]), b[i] - start[i], 1e-6f);
        }
    }

    [Fact]
    public void Train_Throws_ForMultiplierOfUnknownLayerAndNesterovWithoutMomentum()
    {
        Assert.Throws<ArgumentException>(() => Trainer.Train(Linear(), Data, Base(OptimizerKind.Sgd, 0.1f) with
        {
            LayerLearningRateMultipliers = new Dictionary<string, float> { ["nope"] = 1f },
        }));
        Assert.Throws<ArgumentException>(() => Trainer.Train(Linear(), Data, Base(OptimizerKind.Sgd, 0.1f) with { Nesterov = true }));
    }

    [Fact]
    public void CosineScheduleMultiplier_FallsFromOneToMinimum()
    {
        var schedule = new CosineSchedule(0.1);

        Assert.Equal(1.0, schedule.Multiplier(0, 10, 11), 12);
        Assert.Equal(0.55, schedule.Multiplier(5, 10, 11), 12);
        Assert.Equal(0.1, schedule.Multiplier(10, 10, 11), 12);
    }

    [Fact]
    public void WarmupScheduleMultiplier_RisesLinearlyThenHandsOver()
    {
        var schedule = new WarmupSchedule(4, new StepSchedule(1, 0.5));

        Assert.Equal(0.25, schedule.Multiplier(0, 2, 20), 12);
        Assert.Equal(1.0, schedule.Multiplier(3, 2, 20), 12);
        Assert.Equal(1.0, schedule.Multiplier(4, 2, 20), 12); // step 0 of the inner schedule
        Assert.Equal(0.5, schedule.Multiplier(6, 2, 20), 12); // its second epoch
    }

    [Fact]
    public void StepScheduleMultiplier_DecaysEveryStepSizeEpochs()
    {
        var schedule = new StepSchedule(2, 0.1);

        Assert.Equal(1.0, schedule.Multiplier(19, 10, 100), 12);
        Assert.Equal(0.1, schedule.Multiplier(20, 10, 100), 12);
        Assert.Equal(0.01, schedule.Multiplier(45, 10, 100), 12);
    }
}
