using System.Runtime.Intrinsics;

namespace FTLPortal.Learning.Models;

/// <summary>y = max(x, 0) element-wise; no parameters.</summary>
public sealed class ReluLayer : ILayer
{
    public ReluLayer(string name, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        InputSize = size;
    }

    public string Name { get; }

    public string Kind => LayerSpec.ReluKind;

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output) =>
        System.Numerics.Tensors.TensorPrimitives.Max(input[..(rows * InputSize)], 0f, output[..(rows * InputSize)]);

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

        int count = rows * InputSize;
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
