namespace FTLPortal.Learning.Models;

/// <summary>
/// GELU with the tanh approximation (PyTorch's approximate="tanh"): 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).
/// The approximation is used because float32 has no erf in the BCL; it differs from the exact GELU by under 1e-3.
/// </summary>
public sealed class GeluLayer : ILayer
{
    private const float Sqrt2OverPi = 0.7978845608f;
    private const float Cubic = 0.044715f;

    public GeluLayer(string name, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        InputSize = size;
    }

    public string Name { get; }

    public string Kind => LayerSpec.GeluKind;

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int count = rows * InputSize;
        for (int i = 0; i < count; i++)
        {
            float x = input[i];
            float t = MathF.Tanh(Sqrt2OverPi * (x + (Cubic * x * x * x)));
            output[i] = 0.5f * x * (1f + t);
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

        int count = rows * InputSize;
        for (int i = 0; i < count; i++)
        {
            float x = input[i];
            float t = MathF.Tanh(Sqrt2OverPi * (x + (Cubic * x * x * x)));
            float dInner = Sqrt2OverPi * (1f + (3f * Cubic * x * x));
            inputGradient[i] = outputGradient[i] * ((0.5f * (1f + t)) + (0.5f * x * (1f - (t * t)) * dInner));
        }
    }
}
