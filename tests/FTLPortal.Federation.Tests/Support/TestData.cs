using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Support;

internal static class TestData
{
    public static TabularDataset Synthetic(int rows, int features, int classes, int seed, double covariateShift = 0, double conceptShift = 0) =>
        SyntheticDomains.Generate(new SyntheticDomainOptions
        {
            Rows = rows,
            Features = features,
            Classes = classes,
            Seed = seed,
            CovariateShift = covariateShift,
            ConceptShift = conceptShift,
        });

    /// <summary>Uniform features with no relation to a 50/50 label: a model that scores well on them has seen the rows.</summary>
    public static TabularDataset Noise(int rows, int seed, int features = 6)
    {
#pragma warning disable CA5394 // Test data.
        var random = new Random(seed);
        float[] values = Enumerable.Range(0, rows * features).Select(_ => (float)random.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.Next(2)).ToArray();
#pragma warning restore CA5394
        return new TabularDataset(Enumerable.Range(0, features).Select(f => $"f{f}").ToArray(), ["no", "yes"], values, labels);
    }

    public static MemoryStream ToCsv(TabularDataset dataset, string labelColumn = "label")
    {
        var stream = new MemoryStream();
        CsvDatasetWriter.Write(dataset, stream, labelColumn);
        stream.Position = 0;
        return stream;
    }

    public static MemoryStream Text(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A small MLP (dense1, relu1, output) with seeded weights.</summary>
    public static (ModelArchitecture Architecture, WeightSet Weights) SmallMlp(int inputs = 4, int hidden = 5, int classes = 3, int seed = 7)
    {
        ModelArchitecture architecture = ModelArchitecture.Mlp(
            inputs, [hidden], Enumerable.Range(0, classes).Select(c => $"class_{c}").ToArray());
        return (architecture, SequentialModel.Create(architecture, seed).GetWeights());
    }

    /// <summary>
    /// dense1, relu1, bn1 (BatchNorm with local statistics: FedBN), output, with seeded weights. The batch norm follows the
    /// ReLU so that its statistics depend on each partner's data even though every agent standardizes its own features.
    /// </summary>
    public static (ModelArchitecture Architecture, WeightSet Weights) LocalBatchNormMlp(
        int inputs = 4, int hidden = 8, int classes = 3, int seed = 7, bool localStatistics = true)
    {
        var architecture = new ModelArchitecture
        {
            InputSize = inputs,
            ClassNames = Enumerable.Range(0, classes).Select(c => $"class_{c}").ToArray(),
            Layers =
            [
                LayerSpec.Dense("dense1", hidden),
                LayerSpec.Relu("relu1"),
                LayerSpec.BatchNorm("bn1", localStatistics),
                LayerSpec.Dense("output", classes),
            ],
        };
        architecture.Validate();
        return (architecture, SequentialModel.Create(architecture, seed).GetWeights());
    }

    public static byte[] Bytes(WeightSet weights) => SafeTensorsFormat.ToBytes(weights);

    public static WeightSet Weights(byte[] bytes) => SafeTensorsFormat.FromBytes(bytes);
}
