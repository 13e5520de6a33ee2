namespace FTLPortal.Learning.Models;

/// <summary>Marks the change from an image shape to a flat vector; rows are already stored flat, so it only copies.</summary>
public sealed class FlattenLayer : ElementwiseLayer
{
    public FlattenLayer(string name, int size)
        : base(name, LayerSpec.FlattenKind, size)
    {
    }

    private protected override void ForwardElements(ReadOnlySpan<float> input, Span<float> output) => input.CopyTo(output);

    private protected override void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        outputGradient.CopyTo(inputGradient);
}
