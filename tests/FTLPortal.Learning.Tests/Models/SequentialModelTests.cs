using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.Tests.Models;

public class SequentialModelTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    [Fact]
    public void Backward_MatchesFiniteDifferences_EndToEndThroughMlpAndLoss()
    {
        const int rows = 8;
        const int inputs = 5;
        var random = new Random(5);
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(inputs, [6, 4], Classes), seed: 3);
        float[] features = GradientCheck.RandomValues(random, rows * inputs, scale: 2);
        int[] labels = Enumerable.Range(0, rows).Select(r => r % Classes.Length).ToArray();
        var loss = new SoftmaxCrossEntropy(Classes.Length);

        var logitGradient = new float[rows * Classes.Length];
        loss.Compute(model.Forward(features, rows), labels, rows, logitGradient);
        model.Backward(logitGradient, rows, new HashSet<string>());
        bool[] pattern = ReluPattern(model, features, rows);

        double Loss() => loss.Compute(model.Forward(features, rows), labels, rows, []);

        int checkedCoordinates = 0;
        int skipped = 0;
        foreach (TrainableParameter parameter in model.Parameters)
        {
            float[] analytic = (float[])parameter.Gradient.Clone();
            for (int i = 0; i < parameter.Value.Data.Length; i++)
            {
                if (CrossesKink(model, features, rows, parameter.Value.Data, i, pattern))
                {
                    skipped++;
                    continue;
                }

                double numeric = GradientCheck.Numeric(parameter.Value.Data, i, Loss);
                GradientCheck.AssertMatches(analytic[i], numeric, $"{parameter.Value.Name}[{i}]");
                checkedCoordinates++;
            }
        }

        // 79 parameters in all; a few may sit within ε of a ReLU kink, where finite differences are meaningless.
        Assert.True(checkedCoordinates >= 70, $"only {checkedCoordinates} coordinates checked");
        Assert.True(skipped <= checkedCoordinates / 10, $"{skipped} coordinates crossed a ReLU kink");
    }

    [Fact]
    public void Backward_SkipsGradientsOfFrozenLayers()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(3, [4], Classes), seed: 1);
        TrainableParameter frozen = model.Parameters.First(p => p.LayerName == "dense1");
        Array.Fill(frozen.Gradient, 7f);
        float[] features = [0.5f, -1f, 2f, 1f, 1f, 1f];
        var logitGradient = new float[6];
        new SoftmaxCrossEntropy(3).Compute(model.Forward(features, 2), [0, 2], 2, logitGradient);

        model.Backward(logitGradient, 2, new HashSet<string> { "dense1" });

        Assert.All(frozen.Gradient, g => Assert.Equal(7f, g));
        Assert.Contains(model.Parameters.First(p => p.LayerName == "output").Gradient, g => g != 0f);
    }

    [Fact]
    public void Create_GivesIdenticalWeights_ForTheSameSeed_AndDifferentForAnother()
    {
        ModelArchitecture architecture = ModelArchitecture.Mlp(4, [8], Classes);

        string a = SequentialModel.Create(architecture, 9).GetWeights().Sha256();
        string b = SequentialModel.Create(architecture, 9).GetWeights().Sha256();
        string c = SequentialModel.Create(architecture, 10).GetWeights().Sha256();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Layers_DescribeShapesAndParameterNames()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(4, [8], Classes), seed: 1);

        Assert.Equal(["dense1", "relu1", "output"], model.Layers.Select(l => l.Name));
        LayerInfo dense = model.Layers[0];
        Assert.Equal([8], dense.OutputShape);
        Assert.Equal((4 * 8) + 8, dense.ParameterCount);
        Assert.Equal(["dense1.weight", "dense1.bias"], dense.ParameterNames);
        Assert.Equal(0, model.Layers[1].ParameterCount);
        Assert.Equal([8, 4], model.GetWeights()["dense1.weight"].Shape);
        Assert.Equal(40 + 27, model.GetWeights().ParameterCount);
    }

    [Fact]
    public void GetWeights_ForNamedLayers_ReturnsOnlyTheirTensors_AsCopies()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(4, [8], Classes), seed: 1);

        WeightSet weights = model.GetWeights(["output"]);
        weights["output.bias"].Data[0] = 99f;

        Assert.Equal(["output.weight", "output.bias"], weights.Names);
        Assert.NotEqual(99f, model.GetWeights()["output.bias"].Data[0]);
        Assert.Throws<ArgumentException>(() => model.GetWeights(["nope"]));
    }

    [Fact]
    public void SetWeights_CopiesPresentTensors_AndLeavesOthers()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(4, [8], Classes), seed: 1);
        WeightSet before = model.GetWeights();
        var update = new WeightSet { new NamedTensor("output.bias", [3], [1f, 2f, 3f]) };

        model.SetWeights(update);

        WeightSet after = model.GetWeights();
        Assert.Equal([1f, 2f, 3f], after["output.bias"].Data);
        Assert.Equal(before["dense1.weight"].Data, after["dense1.weight"].Data);
    }

    [Fact]
    public void SetWeights_Throws_OnUnknownNameOrWrongShape_WithoutChangingTheModel()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(4, [8], Classes), seed: 1);
        string hash = model.GetWeights().Sha256();

        var unknown = new WeightSet { new NamedTensor("output.bias", [3], [1f, 2f, 3f]), new NamedTensor("extra.bias", [1], [1f]) };
        var misshapen = new WeightSet { new NamedTensor("output.bias", [1, 3], [1f, 2f, 3f]) };

        Assert.Contains("extra.bias", Assert.Throws<ArgumentException>(() => model.SetWeights(unknown)).Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3]", Assert.Throws<ArgumentException>(() => model.SetWeights(misshapen)).Message, StringComparison.Ordinal);
        Assert.Equal(hash, model.GetWeights().Sha256());
    }

    [Fact]
    public void PredictProbabilities_RowsSumToOne_AndAgreeWithPredict()
    {
        TabularDataset data = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 700, Seed = 2 });
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(8, [8], data.ClassNames), seed: 1);
        var probabilities = new float[data.Rows * 3];

        model.PredictProbabilities(data.Features, data.Rows, probabilities);
        int[] predicted = model.Predict(data);

        for (int r = 0; r < data.Rows; r++)
        {
            ReadOnlySpan<float> p = probabilities.AsSpan(r * 3, 3);
            Assert.InRange(p[0] + p[1] + p[2], 0.9999f, 1.0001f);
            Assert.Equal(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p), predicted[r]);
        }
    }

    [Fact]
    public void PredictProbabilities_StaysFinite_WhenLogitsAreHuge()
    {
        SequentialModel model = SequentialModel.Create(ModelArchitecture.Mlp(2, [4], Classes), seed: 1);
        WeightSet weights = model.GetWeights(["output"]);
        foreach (NamedTensor tensor in weights)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(tensor.Data, 1e4f, tensor.Data);
        }

        model.SetWeights(weights);
        var probabilities = new float[3];

        model.PredictProbabilities([5f, -5f], 1, probabilities);

        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(1f, probabilities.Sum(), 1e-5f);
    }

    /// <summary>Sign pattern of every ReLU input for the batch, recomputed layer by layer.</summary>
    private static bool[] ReluPattern(SequentialModel model, float[] features, int rows)
    {
        var pattern = new List<bool>();
        float[] current = features;
        foreach (ILayer layer in model.LayerModules)
        {
            var next = new float[rows * layer.OutputSize];
            if (layer is ReluLayer)
            {
                pattern.AddRange(current.Take(rows * layer.InputSize).Select(v => v > 0));
            }

            layer.Forward(current, rows, next);
            current = next;
        }

        return [.. pattern];
    }

    private static bool CrossesKink(SequentialModel model, float[] features, int rows, float[] values, int index, bool[] pattern)
    {
        float original = values[index];
        try
        {
            values[index] = original + GradientCheck.Epsilon;
            bool[] plus = ReluPattern(model, features, rows);
            values[index] = original - GradientCheck.Epsilon;
            bool[] minus = ReluPattern(model, features, rows);
            return !plus.SequenceEqual(pattern) || !minus.SequenceEqual(pattern);
        }
        finally
        {
            values[index] = original;
        }
    }
}
