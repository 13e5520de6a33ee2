namespace FTLPortal.Learning.Models;

/// <summary>Marks the change from an image shape to a flat vector; rows are already stored flat, so it only copies.</summary>
public sealed class FlattenLayer : ILayer
{
    public FlattenLayer(string name, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        InputSize = size;
    }

    public string Name { get; }

    public string Kind => LayerSpec.FlattenKind;

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output) =>
        input[..(rows * InputSize)].CopyTo(output);

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        if (!inputGradient.IsEmpty)
        {
            outputGradient[..(rows * InputSize)].CopyTo(inputGradient);
        }
    }
}
