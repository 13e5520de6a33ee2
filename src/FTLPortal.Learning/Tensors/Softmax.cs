using System.Numerics.Tensors;

namespace FTLPortal.Learning.Tensors;

/// <summary>Numerically stable softmax (TensorPrimitives.SoftMax overflows to NaN for logits above ~88).</summary>
public static class Softmax
{
    public static void Apply(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length < logits.Length)
        {
            throw new ArgumentException("The destination is shorter than the logits.", nameof(probabilities));
        }

        Span<float> destination = probabilities[..logits.Length];
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, destination);
        TensorPrimitives.Exp(destination, destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Sum(destination), destination);
    }
}
