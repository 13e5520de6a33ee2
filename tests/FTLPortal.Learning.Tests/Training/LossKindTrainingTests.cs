using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Training;

public class LossKindTrainingTests
{
    [Theory]
    [InlineData(LossKind.SoftmaxCrossEntropy, 0.1f)]
    [InlineData(LossKind.BinaryCrossEntropy, 0f)]
    [InlineData(LossKind.MeanSquaredError, 0f)]
    public void Train_LearnsSeparableDomain_WithEachLoss(LossKind loss, float labelSmoothing)
    {
        TabularDataset raw = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 600, Seed = 1 });
        TabularDataset data = Standardizer.Fit(raw).Transform(raw);
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(data.FeatureCount, [16], data.ClassNames), seed: 2);

        TrainingHistory history = Trainer.Train(model, data, new TrainingOptions { Epochs = 15, LearningRate = 0.01f, Loss = loss, LabelSmoothing = labelSmoothing });

        Assert.True(Evaluator.Evaluate(model, data).Accuracy > 0.9, $"{loss}: accuracy {Evaluator.Evaluate(model, data).Accuracy:P1}");
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
    }

    [Fact]
    public void Train_Throws_ForLabelSmoothingOutOfRange()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 50, Seed = 1 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(data.FeatureCount, [4], data.ClassNames), seed: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(model, data, new TrainingOptions { LabelSmoothing = 1f }));
    }
}
