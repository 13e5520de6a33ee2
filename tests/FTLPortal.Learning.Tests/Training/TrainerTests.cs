using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class TrainerTests
{
    private static (TabularDataset Train, TabularDataset Validation) StandardizedSplit(SyntheticDomainOptions options)
    {
        TabularDataset raw = SyntheticDomains.Generate(options);
        (TabularDataset train, TabularDataset validation) = DatasetSplit.TrainValidation(raw, 0.25, seed: 4);
        Standardizer standardizer = Standardizer.Fit(train); // training rows only
        return (standardizer.Transform(train), standardizer.Transform(validation));
    }

    [Fact]
    public void Train_MlpReachesOver95PercentValidationAccuracy_OnSeparableDomain()
    {
        (TabularDataset train, TabularDataset validation) = StandardizedSplit(new SyntheticDomainOptions { Rows = 800, Seed = 1 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(train.FeatureCount, [32, 16], train.ClassNames), seed: 1);
        double before = Evaluator.Evaluate(model, validation).Accuracy;

        TrainingHistory history = Trainer.Train(model, train, new TrainingOptions { Epochs = 15, LearningRate = 0.01f });

        EvaluationResult result = Evaluator.Evaluate(model, validation);
        Assert.True(result.Accuracy > 0.95, $"validation accuracy {result.Accuracy:P1} (was {before:P1} untrained)");
        Assert.Equal(validation.Rows, result.Rows);
        Assert.Equal(15, history.Epochs.Count);
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss / 2);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void Train_LeavesFrozenLayersBitIdentical_AndChangesTheOthers(OptimizerKind optimizer)
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 200, Seed = 3 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [16, 8], data.ClassNames), seed: 2);
        WeightSet before = model.GetWeights();
        string[] frozen = ["dense1", "dense2"];

        Trainer.Train(model, data, new TrainingOptions
        {
            Epochs = 3,
            Optimizer = optimizer,
            LearningRate = 0.05f,
            FrozenLayers = new HashSet<string>(frozen),
        });

        WeightSet after = model.GetWeights();
        Assert.Equal(before.Only(frozen).Sha256(), after.Only(frozen).Sha256());
        foreach (NamedTensor tensor in before.Only(frozen))
        {
            Assert.Equal(tensor.Data, after[tensor.Name].Data); // bit-identical, not just close
        }

        Assert.NotEqual(before["output.weight"].Data, after["output.weight"].Data);
        Assert.NotEqual(before["output.bias"].Data, after["output.bias"].Data);
    }

    [Fact]
    public void Train_GivesBitIdenticalWeights_ForTheSameSeeds()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 300, Seed = 8 });
        ModelArchitecture architecture = ModelArchitecture.Mlp(8, [16], data.ClassNames);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 5 };

        SequentialModel first = SequentialModel.Create(architecture, seed: 4);
        SequentialModel second = SequentialModel.Create(architecture, seed: 4);
        SequentialModel otherShuffle = SequentialModel.Create(architecture, seed: 4);
        Trainer.Train(first, data, options);
        Trainer.Train(second, data, options);
        Trainer.Train(otherShuffle, data, options with { Seed = 6 });

        Assert.Equal(first.GetWeights().Sha256(), second.GetWeights().Sha256());
        Assert.NotEqual(first.GetWeights().Sha256(), otherShuffle.GetWeights().Sha256());
    }

    [Fact]
    public void Train_FullBatchSingleSgdStep_EqualsWeightsMinusLearningRateTimesMeanGradient()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 50, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [6], data.ClassNames), seed: 3);
        const float learningRate = 0.1f;

        // The mean gradient over all rows, computed outside the trainer.
        var logitGradient = new float[data.Rows * 3];
        new SoftmaxCrossEntropy(3).Compute(model.Forward(data.Features, data.Rows), data.Labels, data.Rows, logitGradient);
        model.Backward(logitGradient, data.Rows, new HashSet<string>());
        Dictionary<string, float[]> expected = model.Parameters.ToDictionary(
            p => p.Value.Name,
            p => p.Value.Data.Select((w, i) => w - (learningRate * p.Gradient[i])).ToArray());

        Trainer.Train(model, data, new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 0,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = learningRate,
            Shuffle = false,
        });

        foreach (NamedTensor tensor in model.GetWeights())
        {
            Assert.Equal(expected[tensor.Name], tensor.Data);
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void Train_AllocatesNothingPerBatch(OptimizerKind optimizer)
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 640, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [16, 8], data.ClassNames), seed: 3);
        var frozen = new HashSet<string> { "dense1" };
        long Allocated(int epochs)
        {
            var options = new TrainingOptions { Epochs = epochs, BatchSize = 32, Optimizer = optimizer, FrozenLayers = frozen };
            long before = GC.GetAllocatedBytesForCurrentThread();
            Trainer.Train(model, data, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(1); // warm up: JIT, model buffers
        long oneEpoch = Allocated(1);
        long elevenEpochs = Allocated(11);

        // 10 extra epochs are 200 extra batches; only a metrics record per epoch may be allocated.
        Assert.True(elevenEpochs - oneEpoch < 10 * 256, $"1 epoch: {oneEpoch} B, 11 epochs: {elevenEpochs} B");
    }

    [Fact]
    public void Train_ReportsEachEpoch_AndStopsWhenCancelled()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 100, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [4], data.ClassNames), seed: 3);
        using var cancellation = new CancellationTokenSource();
        var seen = new List<int>();

        Assert.Throws<OperationCanceledException>(() => Trainer.Train(
            model,
            data,
            new TrainingOptions { Epochs = 10 },
            m =>
            {
                seen.Add(m.Epoch);
                if (m.Epoch == 2)
                {
                    cancellation.Cancel();
                }
            },
            cancellation.Token));

        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void Train_Throws_WhenClassesDoNotMatchTheModel()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 60, Classes = 2, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [4], ["a", "b", "c"]), seed: 3);

        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(model, data, new TrainingOptions()));

        Assert.Contains("WithClassOrder", error.Message, StringComparison.Ordinal);
    }
}
