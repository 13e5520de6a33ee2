namespace FTLPortal.Learning.Models;

/// <summary>
/// Inverted dropout: while training each value is zeroed with probability <see cref="Rate"/> and the rest scaled by 1/(1 − rate);
/// otherwise the identity. The mask comes from a generator seeded at construction, so runs are reproducible.
/// </summary>
public sealed class DropoutLayer : ElementwiseLayer, IHasTrainingMode
{
    private readonly Random _random;
    private float[] _mask = [];

    public DropoutLayer(string name, int size, float rate, int seed)
        : base(name, LayerSpec.DropoutKind, size)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "The drop rate must be in [0, 1).");
        }

        Rate = rate;
#pragma warning disable CA5394 // Reproducible masks, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    public float Rate { get; }

    public bool IsTraining { get; set; }

    private protected override void ForwardElements(ReadOnlySpan<float> input, Span<float> output)
    {
        int count = input.Length;
        if (!IsTraining || Rate == 0f)
        {
            input.CopyTo(output);
            return;
        }

        if (_mask.Length < count)
        {
            _mask = new float[count];
        }

        float keep = 1f / (1f - Rate);
        for (int i = 0; i < count; i++)
        {
#pragma warning disable CA5394 // Reproducible masks, not security.
            _mask[i] = _random.NextSingle() < Rate ? 0f : keep;
#pragma warning restore CA5394
        }

        System.Numerics.Tensors.TensorPrimitives.Multiply(input, _mask.AsSpan(0, count), output);
    }

    private protected override void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (!IsTraining || Rate == 0f)
        {
            outputGradient.CopyTo(inputGradient);
            return;
        }

        // The mask of the last forward pass: backward always follows the forward of the same batch.
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient, _mask.AsSpan(0, outputGradient.Length), inputGradient);
    }
}
