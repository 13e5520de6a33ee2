namespace FTLPortal.Learning.Models;

/// <summary>
/// Inverted dropout: while training each value is zeroed with probability <see cref="Rate"/> and the rest scaled by 1/(1 − rate);
/// otherwise the identity. The mask comes from a generator seeded at construction, so runs are reproducible.
/// </summary>
public sealed class DropoutLayer : ILayer, IHasTrainingMode
{
    private readonly Random _random;
    private float[] _mask = [];

    public DropoutLayer(string name, int size, float rate, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "The drop rate must be in [0, 1).");
        }

        Name = name;
        InputSize = size;
        Rate = rate;
#pragma warning disable CA5394 // Reproducible masks, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    public string Name { get; }

    public string Kind => LayerSpec.DropoutKind;

    public int InputSize { get; }

    public int OutputSize => InputSize;

    public float Rate { get; }

    public bool IsTraining { get; set; }

    public IReadOnlyList<TrainableParameter> Parameters => [];

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        int count = rows * InputSize;
        if (!IsTraining || Rate == 0f)
        {
            input[..count].CopyTo(output);
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

        System.Numerics.Tensors.TensorPrimitives.Multiply(input[..count], _mask.AsSpan(0, count), output[..count]);
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
        if (!IsTraining || Rate == 0f)
        {
            outputGradient[..count].CopyTo(inputGradient);
            return;
        }

        // The mask of the last forward pass: backward always follows the forward of the same batch.
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient[..count], _mask.AsSpan(0, count), inputGradient[..count]);
    }
}
