using System.Numerics.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>y = tanh(x) element-wise; dy/dx = 1 − y², recomputed from the input in the backward pass.</summary>
public sealed class TanhLayer : ILayer
{
    public TanhLayer(string name, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        InputSize = size;
    }

    public string Name { get; }

    public string Kind => LayerSpec.TanhKind;

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output) =>
        TensorPrimitives.Tanh(input[..(rows * InputSize)], output[..(rows * InputSize)]);

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
        for (int i = 0; i < count; i++)
        {
            float y = MathF.Tanh(input[i]);
            inputGradient[i] = outputGradient[i] * (1f - (y * y));
        }
    }
}
