using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tests.Data;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class FashionMnistTests
{
    private static ImageDataset Load(string split) => IdxReader.ReadImages(
        Path.Combine(FashionMnistFactAttribute.Folder, $"{split}-images-idx3-ubyte.gz"),
        Path.Combine(FashionMnistFactAttribute.Folder, $"{split}-labels-idx1-ubyte.gz"),
        IdxReader.FashionMnistClassNames,
        mean: 0.2860f,
        standardDeviation: 0.3530f);

    [FashionMnistFact]
    public void Train_SmallCnnReachesAtLeast85PercentTestAccuracy_InTwoEpochsOnFullFashionMnist()
    {
        ImageDataset train = Load("train");
        ImageDataset test = Load("t10k");
        Assert.Equal(60_000, train.Dataset.Rows);
        SequentialModel model = SequentialModel.Create(ModelArchitecture.SmallCnn(1, 28, 28, IdxReader.FashionMnistClassNames), seed: 1);

        Trainer.Train(model, train.Dataset, new TrainingOptions { Epochs = 2, BatchSize = 128, LearningRate = 1e-3f, Optimizer = OptimizerKind.Adam });

        EvaluationResult result = Evaluator.Evaluate(model, test.Dataset);
        Assert.Equal(10_000, result.Rows);
        Assert.True(result.Accuracy >= 0.85, $"test accuracy {result.Accuracy:P2} after 2 epochs");
    }
}
