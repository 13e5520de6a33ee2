namespace FTLPortal.Learning.Models;

/// <summary>
/// A layer with no trainable parameters whose output has the input's shape and whose value i depends only on input i
/// (activations, dropout, flatten). It owns the plumbing those layers share; a subclass only maps the flat spans of the
/// whole batch, so it can keep its own vectorised kernel and allocates nothing per call.
/// </summary>
public abstract class ElementwiseLayer : ILayer
{
    // private protected: the element maps are part of this assembly's numerics, not an extension point for callers.
    private protected ElementwiseLayer(string name, string kind, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Kind = kind;
        InputSize = size;
    }

    public string Name { get; }

    public string Kind { get; }

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int count = rows * InputSize;
        ForwardElements(input[..count], output[..count]);
    }

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        // No parameters, so there is only work when the caller wants the gradient wrt the input.
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int count = rows * InputSize;
        BackwardElements(input[..count], outputGradient[..count], inputGradient[..count]);
    }

    /// <summary>Writes y = f(x); both spans hold exactly the batch's values.</summary>
    private protected abstract void ForwardElements(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Writes dx = dy · f′(x); all three spans hold exactly the batch's values.</summary>
    private protected abstract void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);
}
