using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Models;

public class CnnModelTests
{
    private static readonly string[] TenClasses = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray();

    /// <summary>8×8 grey images: a horizontal bar (class "h") or a vertical bar (class "v") at a random place, plus noise.</summary>
    internal static TabularDataset Bars(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows * 64];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.Next(2);
            int at = random.Next(8);
            for (int i = 0; i < 8; i++)
            {
                int pixel = labels[r] == 0 ? (at * 8) + i : (i * 8) + at;
                features[(r * 64) + pixel] = 1f;
            }

            for (int p = 0; p < 64; p++)
            {
                features[(r * 64) + p] += (float)((random.NextDouble() - 0.5) * 0.6);
            }
        }

        return new TabularDataset(Enumerable.Range(0, 64).Select(i => $"p{i}").ToArray(), ["h", "v"], features, labels);
    }

    internal static ModelArchitecture BarsCnn() => new()
    {
        InputSize = 64,
        InputShape = [1, 8, 8],
        ClassNames = ["h", "v"],
        Layers =
        [
            LayerSpec.Conv2D("conv1", 4, 3, padding: 1),
            LayerSpec.Relu("relu1"),
            LayerSpec.MaxPool2D("pool1", 2),
            LayerSpec.GlobalAveragePool("gap"),
            LayerSpec.Dense("output", 2),
        ],
    };

    [Fact]
    public void Create_InfersLayerShapesAndParameterCount_ForSmallCnn()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.SmallCnn(1, 28, 28, TenClasses), seed: 1);

        Assert.Equal([8, 28, 28], model.Layers[0].OutputShape);
        Assert.Equal([8, 14, 14], model.Layers[2].OutputShape);
        Assert.Equal([16, 7, 7], model.Layers[5].OutputShape);
        Assert.Equal([784], model.Layers[6].OutputShape);
        Assert.Equal([10], model.Layers[^1].OutputShape);
        Assert.Equal((8 * 9) + 8 + (16 * 72) + 16 + (784 * 64) + 64 + (64 * 10) + 10, model.ParameterCount);
    }

    [Fact]
    public void FromJson_RoundTripsCnnArchitecture_WithShapesAndSettings()
    {
        ModelArchitecture architecture = ModelArchitecture.SmallCnn(1, 28, 28, TenClasses);

        string json = architecture.ToJson();
        ModelArchitecture back = ModelArchitecture.FromJson(json);

        Assert.Equal(architecture, back);
        Assert.Contains("\"inputShape\":[1,28,28]", json, StringComparison.Ordinal);
        Assert.Contains("\"kernelSize\":3", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_OmitsImageSettings_ForMlp()
    {
        string json = ModelArchitecture.Mlp(4, [3], ["a", "b"]).ToJson();

        Assert.DoesNotContain("kernelSize", json, StringComparison.Ordinal);
        Assert.DoesNotContain("inputShape", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Throws_WhenConvolutionHasNoImageShape()
    {
        var architecture = new ModelArchitecture
        {
            InputSize = 64,
            ClassNames = ["a", "b"],
            Layers = [LayerSpec.Conv2D("conv", 2, 3), LayerSpec.Dense("output", 2)],
        };

        Assert.Contains("needs an image input", Assert.Throws<ArgumentException>(architecture.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Throws_WhenInputShapeDisagreesWithInputSize()
    {
        ModelArchitecture architecture = BarsCnn() with { InputShape = [1, 8, 7] };

        Assert.Throws<ArgumentException>(architecture.Validate);
    }

    [Fact]
    public void Train_CnnReachesOver95PercentAccuracy_OnBarImages()
    {
        TabularDataset train = Bars(600, seed: 1);
        TabularDataset test = Bars(200, seed: 2);
        SequentialModel model = SequentialModel.Create(BarsCnn(), seed: 3);

        Trainer.Train(model, train, new TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 0.01f });

        EvaluationResult result = Evaluator.Evaluate(model, test);
        Assert.True(result.Accuracy > 0.95, $"test accuracy {result.Accuracy:P1}");
    }

    [Fact]
    public void Train_GivesBitIdenticalCnnWeights_ForSameSeed()
    {
        TabularDataset train = Bars(300, seed: 4);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.01f, Seed = 5 };
        SequentialModel first = SequentialModel.Create(BarsCnn(), seed: 6);
        SequentialModel second = SequentialModel.Create(BarsCnn(), seed: 6);

        Trainer.Train(first, train, options);
        Trainer.Train(second, train, options);

        Assert.Equal(first.GetWeights().Sha256(), second.GetWeights().Sha256());
    }

    [Fact]
    public void SafeTensors_RoundTripsConvolutionWeights_WithFourDimensionalShapes()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.SmallCnn(1, 28, 28, TenClasses), seed: 7);

        WeightSet back = SafeTensorsFormat.FromBytes(SafeTensorsFormat.ToBytes(model.GetWeights()));

        Assert.Equal([16, 8, 3, 3], back["conv2.weight"].Shape);
        Assert.Equal(model.GetWeights().Sha256(), back.Sha256());
    }
}
