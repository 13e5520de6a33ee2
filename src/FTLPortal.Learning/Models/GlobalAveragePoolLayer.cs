using System.Numerics.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>Averages each channel plane of an NCHW row: [C, H, W] → [C].</summary>
public sealed class GlobalAveragePoolLayer : ParameterFreeLayer
{
    public GlobalAveragePoolLayer(string name, int channels, int height, int width)
        : base(name, LayerSpec.GlobalAveragePoolKind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Channels = channels;
        PlaneSize = height * width;
    }

    public int Channels { get; }

    public int PlaneSize { get; }

    public override int InputSize => Channels * PlaneSize;

    public override int OutputSize => Channels;

    public override void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int planes = rows * Channels;
        for (int p = 0; p < planes; p++)
        {
            output[p] = TensorPrimitives.Sum(input.Slice(p * PlaneSize, PlaneSize)) / PlaneSize;
        }
    }

    private protected override void BackwardInput(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int rows, Span<float> inputGradient)
    {
        int planes = rows * Channels;
        for (int p = 0; p < planes; p++)
        {
            inputGradient.Slice(p * PlaneSize, PlaneSize).Fill(outputGradient[p] / PlaneSize);
        }
    }
}
