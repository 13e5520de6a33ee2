using System.Text.Json.Serialization;

namespace FTLPortal.Learning.Models;

/// <summary>
/// One layer of an architecture. <paramref name="Kind"/> is one of the *Kind constants. <paramref name="Units"/> is the width of a
/// dense layer and the output channels of a convolution; other kinds leave it 0 (a "relu" may repeat its input width).
/// The settings below are written to JSON only when set, so MLP architectures serialize as before.
/// </summary>
public sealed record LayerSpec(string Name, string Kind, int Units)
{
    public const string DenseKind = "dense";
    public const string ReluKind = "relu";
    public const string Conv2DKind = "conv2d";
    public const string MaxPool2DKind = "maxpool2d";
    public const string GlobalAveragePoolKind = "globalavgpool";
    public const string FlattenKind = "flatten";
    public const string BatchNormKind = "batchnorm";
    public const string DropoutKind = "dropout";
    public const string GeluKind = "gelu";
    public const string TanhKind = "tanh";

    /// <summary>Square kernel (conv2d) or window (maxpool2d) side.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int KernelSize { get; init; }

    /// <summary>0 means the default: 1 for conv2d, the window size for maxpool2d.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Stride { get; init; }

    /// <summary>Zero padding on each side (conv2d).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Padding { get; init; }

    /// <summary>Drop probability of a dropout layer.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public float Rate { get; init; }

    /// <summary>
    /// BatchNorm only: its parameters and running statistics stay with each partner in federated jobs (FedBN): they are
    /// listed by <see cref="ModelArchitecture.LocalLayerNames"/> for the aggregator to leave out.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool LocalStatistics { get; init; }

    public static LayerSpec Dense(string name, int units) => new(name, DenseKind, units);

    public static LayerSpec Relu(string name) => new(name, ReluKind, 0);

    public static LayerSpec Conv2D(string name, int outChannels, int kernelSize, int stride = 1, int padding = 0) =>
        new(name, Conv2DKind, outChannels) { KernelSize = kernelSize, Stride = stride, Padding = padding };

    public static LayerSpec MaxPool2D(string name, int kernelSize, int stride = 0) =>
        new(name, MaxPool2DKind, 0) { KernelSize = kernelSize, Stride = stride };

    public static LayerSpec GlobalAveragePool(string name) => new(name, GlobalAveragePoolKind, 0);

    public static LayerSpec Flatten(string name) => new(name, FlattenKind, 0);

    public static LayerSpec BatchNorm(string name, bool localStatistics = false) => new(name, BatchNormKind, 0) { LocalStatistics = localStatistics };

    public static LayerSpec Dropout(string name, float rate) => new(name, DropoutKind, 0) { Rate = rate };

    public static LayerSpec Gelu(string name) => new(name, GeluKind, 0);

    public static LayerSpec Tanh(string name) => new(name, TanhKind, 0);
}
