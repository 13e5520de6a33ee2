using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Strategies;

public class FederatedAveragingTests
{
    [Theory]
    [InlineData(AveragingWeights.Equal)]
    [InlineData(AveragingWeights.SampleCount)]
    public void Aggregate_EqualsCentralizedFullBatchSgd_WhenOneStepOnEqualSizeClients(AveragingWeights weighting)
    {
        // Raw (unstandardized) synthetic rows: the gradient of the mean loss over the union is the mean of the
        // clients' gradients when they hold equally many rows, so one averaged SGD step is the centralized step.
        TabularDataset all = TestData.Synthetic(rows: 90, features: 4, classes: 3, seed: 11);
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 6, classes: 3);
        all = all.WithClassOrder(architecture.ClassNames);
        var options = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 0,
            LearningRate = 0.5f,
            Optimizer = OptimizerKind.Sgd,
            Shuffle = false,
            Seed = 3,
        };

        SequentialModel centralized = SequentialModel.Create(architecture, initial);
        Trainer.Train(centralized, all, options);

        var updates = new List<ClientUpdate>();
        for (int client = 0; client < 3; client++)
        {
            int[] rows = Enumerable.Range(client * 30, 30).ToArray();
            SequentialModel local = SequentialModel.Create(architecture, initial);
            Trainer.Train(local, all.Subset(rows), options);
            updates.Add(new ClientUpdate($"p{client}", 30, local.GetWeights()));
        }

        WeightSet federated = new FederatedAveraging(weighting).Aggregate(initial, updates);

        WeightSet expected = centralized.GetWeights();
        Assert.Equal(expected.Names, federated.Names);
        foreach (NamedTensor tensor in expected)
        {
            float[] actual = federated[tensor.Name].Data;
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                Assert.True(
                    Math.Abs(tensor.Data[i] - actual[i]) <= 1e-5,
                    $"{tensor.Name}[{i}]: centralized {tensor.Data[i]}, federated {actual[i]}");
            }
        }

        // The step moved the weights, so the comparison is not between two copies of the initial model.
        Assert.NotEqual(initial.Sha256(), federated.Sha256());
    }

    [Fact]
    public void Aggregate_ReturnsSampleWeightedMean_WhenClientsHaveDifferentSampleCounts()
    {
        var current = new WeightSet { new NamedTensor("layer.weight", [2, 2], [0, 0, 0, 0]) };
        ClientUpdate a = Update("a", 1, [1, 2, 3, 4]);
        ClientUpdate b = Update("b", 3, [5, 6, 7, 8]);
        ClientUpdate c = Update("c", 6, [-1, 0, 10, 2]);

        WeightSet result = new FederatedAveraging().Aggregate(current, [a, b, c]);

        // (1·a + 3·b + 6·c) / 10, by hand.
        float[] expected = [(1 + 15 - 6) / 10f, (2 + 18 + 0) / 10f, (3 + 21 + 60) / 10f, (4 + 24 + 12) / 10f];
        float[] actual = result["layer.weight"].Data;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }

        Assert.Equal([2, 2], result["layer.weight"].Shape);
    }

    [Fact]
    public void Aggregate_IgnoresSampleCounts_WhenEqualWeightingChosen()
    {
        var current = new WeightSet { new NamedTensor("layer.bias", [2], [0, 0]) };

        WeightSet result = new FederatedAveraging(AveragingWeights.Equal).Aggregate(
            current, [Update("a", 1, [2, 4], "layer.bias"), Update("b", 99, [4, 8], "layer.bias")]);

        Assert.Equal([3f, 6f], result["layer.bias"].Data);
    }

    [Fact]
    public void Aggregate_KeepsTensorsMissingFromUpdatesBitIdentical_WhenLayersAreFrozen()
    {
        (_, WeightSet current) = TestData.SmallMlp();
        WeightSet trained = current.Except(["dense1"]).Clone();
        foreach (NamedTensor tensor in trained)
        {
            tensor.Data.AsSpan().Fill(0.25f);
        }

        WeightSet result = new FederatedAveraging().Aggregate(current, [new ClientUpdate("a", 5, trained)]);

        Assert.Equal(current.Names, result.Names);
        Assert.Equal(current.Only(["dense1"]).Sha256(), result.Only(["dense1"]).Sha256());
        Assert.All(result.Except(["dense1"]), t => Assert.All(t.Data, v => Assert.Equal(0.25f, v)));
        Assert.NotSame(current["dense1.weight"], result["dense1.weight"]);
    }

    [Fact]
    public void Aggregate_Throws_WhenUpdateHasUnknownTensor()
    {
        var current = new WeightSet { new NamedTensor("layer.bias", [2], [0, 0]) };

        ArgumentException error = Assert.Throws<ArgumentException>(
            () => new FederatedAveraging().Aggregate(current, [Update("a", 1, [1, 2], "other.bias")]));

        Assert.Contains("other.bias", error.Message, StringComparison.Ordinal);
    }

    private static ClientUpdate Update(string partner, int samples, float[] data, string name = "layer.weight") =>
        new(partner, samples, new WeightSet { new NamedTensor(name, data.Length == 4 ? [2, 2] : [data.Length], data) });
}
