namespace FTLPortal.Learning.Models;

/// <summary>
/// A layer with no trainable parameters (activations, pooling, dropout, flatten). With nothing to learn, its backward pass
/// only has work when the caller wants the gradient wrt the input; this class owns that rule and the naming plumbing.
/// </summary>
public abstract class ParameterFreeLayer : ILayer
{
    // private protected: the layer kinds are this assembly's; callers compose them, they do not add new ones.
    private protected ParameterFreeLayer(string name, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public string Kind { get; }

    public abstract int InputSize { get; }

    public abstract int OutputSize { get; }

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public abstract void Forward(ReadOnlySpan<float> input, int rows, Span<float> output);

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        if (!inputGradient.IsEmpty)
        {
            BackwardInput(input, outputGradient, rows, inputGradient);
        }
    }

    /// <summary>Overwrites <paramref name="inputGradient"/> (never empty here) with the gradient wrt the input.</summary>
    private protected abstract void BackwardInput(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int rows, Span<float> inputGradient);
}
