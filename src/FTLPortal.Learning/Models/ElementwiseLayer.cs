namespace FTLPortal.Learning.Models;

/// <summary>
/// A parameter-free layer whose output has the input's shape and whose value i depends only on input i (activations,
/// dropout, flatten). A subclass only maps the flat spans of the whole batch, so it can keep its own vectorised kernel
/// and allocates nothing per call.
/// </summary>
public abstract class ElementwiseLayer : ParameterFreeLayer
{
    private protected ElementwiseLayer(string name, string kind, int size)
        : base(name, kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        InputSize = size;
    }

    public override int InputSize { get; }

    public override int OutputSize => InputSize;

    public sealed override void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int count = rows * InputSize;
        ForwardElements(input[..count], output[..count]);
    }

    /// <summary>Writes y = f(x); both spans hold exactly the batch's values.</summary>
    private protected abstract void ForwardElements(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Writes dx = dy · f′(x); all three spans hold exactly the batch's values.</summary>
    private protected abstract void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);

    private protected sealed override void BackwardInput(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int rows, Span<float> inputGradient)
    {
        int count = rows * InputSize;
        BackwardElements(input[..count], outputGradient[..count], inputGradient[..count]);
    }
}
