using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace FTLPortal.Learning.Models;

/// <summary>y = max(x, 0) element-wise; no parameters.</summary>
public sealed class ReluLayer : ElementwiseLayer
{
    public ReluLayer(string name, int size)
        : base(name, LayerSpec.ReluKind, size)
    {
    }

    private protected override void ForwardElements(ReadOnlySpan<float> input, Span<float> output) =>
        TensorPrimitives.Max(input, 0f, output);

    private protected override void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        int count = input.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - 8; i += 8)
            {
                var x = Vector256.Create(input.Slice(i, 8));
                var dy = Vector256.Create(outputGradient.Slice(i, 8));
                Vector256.ConditionalSelect(
                    Vector256.GreaterThan(x, Vector256<float>.Zero),
                    dy,
                    Vector256<float>.Zero).CopyTo(inputGradient.Slice(i, 8));
            }
        }

        for (; i < count; i++)
        {
            // The derivative at exactly 0 is taken as 0 (the usual subgradient choice).
            inputGradient[i] = input[i] > 0f ? outputGradient[i] : 0f;
        }
    }
}
