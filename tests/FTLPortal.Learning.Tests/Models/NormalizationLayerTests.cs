using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Models;

public class NormalizationLayerTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(2, 6)]
    public void BatchNormBackward_MatchesFiniteDifferences_InTrainingMode(int channels, int planeSize)
    {
        var random = new Random(channels + planeSize);
        var layer = new BatchNormLayer("bn", channels, planeSize) { IsTraining = true };
        GradientCheck.RandomValues(random, channels, 1.0).CopyTo(layer.Weight.Data, 0);
        GradientCheck.RandomValues(random, channels, 1.0).CopyTo(layer.Bias.Data, 0);

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 5 * layer.InputSize, 2.0), 5, random);
    }

    [Fact]
    public void BatchNormBackward_MatchesFiniteDifferences_InEvaluationMode()
    {
        var random = new Random(4);
        var layer = new BatchNormLayer("bn", 2, 3);
        GradientCheck.RandomValues(random, 2).CopyTo(layer.RunningMean.Data, 0);
        layer.RunningVariance.Data[0] = 0.5f;
        layer.RunningVariance.Data[1] = 2f;

        LayerGradientCheck.Check(layer, GradientCheck.RandomValues(random, 3 * layer.InputSize), 3, random);
    }

    [Fact]
    public void BatchNormForward_NormalisesBatchAndUpdatesRunningStatistics_LikePyTorch()
    {
        var layer = new BatchNormLayer("bn", 1, 1) { IsTraining = true };
        var y = new float[4];

        layer.Forward([1f, 2f, 3f, 4f], 4, y);

        // Batch mean 2.5, biased variance 1.25; running: 0.9·0 + 0.1·2.5, 0.9·1 + 0.1·(unbiased 1.6667).
        Assert.Equal(-1.5 / Math.Sqrt(1.25 + 1e-5), y[0], 5);
        Assert.Equal(0.25f, layer.RunningMean.Data[0], 6);
        Assert.Equal(1.0666667f, layer.RunningVariance.Data[0], 6);
    }

    [Fact]
    public void SequentialModelGetWeights_IncludesRunningStatistics_AndLocalLayersAreListed()
    {
        var architecture = new ModelArchitecture
        {
            InputSize = 4,
            ClassNames = ["a", "b"],
            Layers = [LayerSpec.Dense("dense1", 3), LayerSpec.BatchNorm("bn1", localStatistics: true), LayerSpec.Relu("relu1"), LayerSpec.Dense("output", 2)],
        };
        SequentialModel model = SequentialModel.Create(architecture, seed: 1);

        WeightSet weights = model.GetWeights(["bn1"]);

        Assert.Equal(["bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], weights.Select(t => t.Name));
        Assert.Equal(["bn1"], architecture.LocalLayerNames());
        Assert.Equal(6, model.Layers[1].ParameterCount); // running statistics are not trained parameters
        Assert.True(ModelArchitecture.FromJson(architecture.ToJson()).Layers[1].LocalStatistics);
    }

    [Fact]
    public void Train_UpdatesRunningStatistics_AndPredictionUsesThem()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 200, Seed = 5 });
        var architecture = new ModelArchitecture
        {
            InputSize = data.FeatureCount,
            ClassNames = data.ClassNames,
            Layers = [LayerSpec.BatchNorm("bn0"), LayerSpec.Dense("dense1", 16), LayerSpec.Relu("relu1"), LayerSpec.Dropout("drop1", 0.2f), LayerSpec.Dense("output", data.ClassNames.Count)],
        };
        SequentialModel model = SequentialModel.Create(architecture, seed: 2);

        Trainer.Train(model, data, new TrainingOptions { Epochs = 10, LearningRate = 0.01f });

        Assert.False(model.IsTraining);
        Assert.NotEqual(0f, model.GetWeights()["bn0.running_mean"].Data.Select(Math.Abs).Max());
        int[] first = model.Predict(data);
        int[] second = model.Predict(data);
        Assert.Equal(first, second); // evaluation mode: no dropout noise, fixed statistics
        Assert.True(Evaluator.Evaluate(model, data).Accuracy > 0.9);
    }

    [Fact]
    public void DropoutForward_IsIdentity_WhenNotTraining()
    {
        var layer = new DropoutLayer("d", 4, 0.5f, seed: 1);
        var y = new float[4];

        layer.Forward([1f, 2f, 3f, 4f], 1, y);

        Assert.Equal([1f, 2f, 3f, 4f], y);
    }

    [Fact]
    public void DropoutForward_DropsAboutRateAndScalesKept_WhenTraining()
    {
        var layer = new DropoutLayer("d", 1000, 0.3f, seed: 2) { IsTraining = true };
        float[] x = Enumerable.Repeat(1f, 10_000).ToArray();
        var y = new float[x.Length];

        layer.Forward(x, 10, y);

        double dropped = y.Count(v => v == 0f) / (double)y.Length;
        Assert.InRange(dropped, 0.28, 0.32);
        Assert.All(y.Where(v => v != 0f), v => Assert.Equal(1f / 0.7f, v, 5));
    }

    [Fact]
    public void DropoutBackward_UsesTheForwardMask()
    {
        var random = new Random(3);
        var layer = new DropoutLayer("d", 50, 0.5f, seed: 3) { IsTraining = true };
        float[] x = GradientCheck.RandomValues(random, 100);
        var y = new float[100];
        layer.Forward(x, 2, y);
        float[] dy = Enumerable.Repeat(1f, 100).ToArray();
        var dx = new float[100];

        layer.Backward(x, dy, 2, dx, computeParameterGradients: false);

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(y[i] == 0f ? 0f : 2f, dx[i]);
        }
    }
}
