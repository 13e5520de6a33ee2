using System.Numerics.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>Averages each channel plane of an NCHW row: [C, H, W] → [C].</summary>
public sealed class GlobalAveragePoolLayer : ILayer
{
    public GlobalAveragePoolLayer(string name, int channels, int height, int width)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Name = name;
        Channels = channels;
        PlaneSize = height * width;
    }

    public string Name { get; }

    public string Kind => LayerSpec.GlobalAveragePoolKind;

    public int Channels { get; }

    public int PlaneSize { get; }

    public int InputSize => Channels * PlaneSize;

    public int OutputSize => Channels;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int planes = rows * Channels;
        for (int p = 0; p < planes; p++)
        {
            output[p] = TensorPrimitives.Sum(input.Slice(p * PlaneSize, PlaneSize)) / PlaneSize;
        }
    }

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int planes = rows * Channels;
        for (int p = 0; p < planes; p++)
        {
            inputGradient.Slice(p * PlaneSize, PlaneSize).Fill(outputGradient[p] / PlaneSize);
        }
    }
}
