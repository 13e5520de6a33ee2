using System.Numerics.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>y = tanh(x) element-wise; dy/dx = 1 − y², recomputed from the input in the backward pass.</summary>
public sealed class TanhLayer : ElementwiseLayer
{
    public TanhLayer(string name, int size)
        : base(name, LayerSpec.TanhKind, size)
    {
    }

    private protected override void ForwardElements(ReadOnlySpan<float> input, Span<float> output) =>
        TensorPrimitives.Tanh(input, output);

    private protected override void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float y = MathF.Tanh(input[i]);
            inputGradient[i] = outputGradient[i] * (1f - (y * y));
        }
    }
}
