using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.TorchSharp.Tests.Conformance;

/// <summary>Small models and data for the engine conformance tests: every layer kind appears in at least one.</summary>
internal static class ConformanceModels
{
    public const int Rows = 160;

    // Batch norms follow a ReLU: straight after a dense or conv layer, that layer's bias would have an exact gradient of
    // zero, and each engine would move it by its own rounding noise (Adam scales noise up to full steps).
    public static readonly string[] Kinds = ["mlp", "cnn", "batchnorm-mlp", "batchnorm-cnn"];

    /// <summary>Standardized rows, as agents train on: raw blobs with a high learning rate make training chaotic, and chaos
    /// amplifies float rounding until no two implementations agree.</summary>
    public static TabularDataset Data(string kind, int seed = 3)
    {
        TabularDataset raw = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = Rows, Features = IsImage(kind) ? 64 : 6, Classes = 3, Seed = seed });
        return Standardizer.Fit(raw).Transform(raw);
    }

    public static ModelArchitecture Architecture(string kind)
    {
        string[] classes = ["a", "b", "c"];
        ModelArchitecture architecture = kind switch
        {
            "mlp" => new ModelArchitecture
            {
                InputSize = 6,
                ClassNames = classes,
                Layers = [LayerSpec.Dense("dense1", 16), LayerSpec.Relu("relu1"), LayerSpec.Dense("dense2", 8), LayerSpec.Tanh("tanh2"), LayerSpec.Dense("output", 3)],
            },
            "cnn" => new ModelArchitecture
            {
                InputSize = 64,
                InputShape = [1, 8, 8],
                ClassNames = classes,
                Layers =
                [
                    LayerSpec.Conv2D("conv1", 4, 3, padding: 1), LayerSpec.Relu("relu1"), LayerSpec.MaxPool2D("pool1", 2),
                    LayerSpec.Conv2D("conv2", 6, 3), LayerSpec.Gelu("gelu2"), LayerSpec.Flatten("flatten"),
                    LayerSpec.Dense("dense1", 8), LayerSpec.Relu("relu3"), LayerSpec.Dense("output", 3),
                ],
            },
            "batchnorm-mlp" => new ModelArchitecture
            {
                InputSize = 6,
                ClassNames = classes,
                Layers = [LayerSpec.Dense("dense1", 16), LayerSpec.Relu("relu1"), LayerSpec.BatchNorm("bn1"), LayerSpec.Dense("output", 3)],
            },
            "batchnorm-cnn" => new ModelArchitecture
            {
                InputSize = 64,
                InputShape = [1, 8, 8],
                ClassNames = classes,
                Layers =
                [
                    LayerSpec.Conv2D("conv1", 4, 3, stride: 1, padding: 1), LayerSpec.Relu("relu1"), LayerSpec.BatchNorm("bn1", localStatistics: true),
                    LayerSpec.GlobalAveragePool("gap"), LayerSpec.Dense("output", 3),
                ],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown conformance model"),
        };
        architecture.Validate();
        return architecture;
    }

    private static bool IsImage(string kind) => kind.Contains("cnn", StringComparison.Ordinal);
}
