using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>
/// A layer trained through one weight tensor and one bias vector with an entry per output channel (dense, convolution,
/// batch-norm). It owns the tensors named "{layer}.weight" and "{layer}.bias", their gradient buffers and the parameter list
/// that hands both to the optimiser, so the subclasses only say the weight's shape and compute.
/// </summary>
public abstract class WeightAndBiasLayer : ILayer
{
    private readonly TrainableParameter[] _parameters;

    /// <param name="name">The layer's name, the prefix of its tensor names.</param>
    /// <param name="weightShape">The weight's shape; its first dimension is the number of outputs, so the bias's length.</param>
    /// <param name="initialWeight">The value every weight starts at (the bias starts at zero).</param>
    // private protected: subclasses check their own arguments before calling this (it allocates from the shape).
    private protected WeightAndBiasLayer(string name, int[] weightShape, float initialWeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        int weightCount = 1;
        foreach (int dimension in weightShape)
        {
            weightCount *= dimension;
        }

        float[] weights = new float[weightCount];
        if (initialWeight != 0f)
        {
            Array.Fill(weights, initialWeight);
        }

        int outputs = weightShape[0];
        Weight = new NamedTensor($"{name}.weight", weightShape, weights);
        Bias = new NamedTensor($"{name}.bias", [outputs], new float[outputs]);
        WeightGradient = new float[weightCount];
        BiasGradient = new float[outputs];
        _parameters =
        [
            new TrainableParameter(name, Weight, WeightGradient),
            new TrainableParameter(name, Bias, BiasGradient),
        ];
    }

    public string Name { get; }

    public abstract string Kind { get; }

    public abstract int InputSize { get; }

    public abstract int OutputSize { get; }

    public NamedTensor Weight { get; }

    public NamedTensor Bias { get; }

#pragma warning disable CA1819 // Gradient buffers are written in place by the backward pass.
    public float[] WeightGradient { get; }

    public float[] BiasGradient { get; }
#pragma warning restore CA1819

    public IReadOnlyList<TrainableParameter> Parameters => _parameters;

    public abstract void Forward(ReadOnlySpan<float> input, int rows, Span<float> output);

    public abstract void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients);

    /// <summary>Kaiming/He uniform: U(-√(6/fan_in), √(6/fan_in)) for the weights, zero bias; suits ReLU networks.</summary>
    private protected void InitializeHeUniform(Random random, int fanIn)
    {
        ArgumentNullException.ThrowIfNull(random);
        double bound = Math.Sqrt(6.0 / fanIn);
        float[] weights = Weight.Data;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((random.NextDouble() * 2.0) - 1.0) * bound);
        }

        Array.Clear(Bias.Data);
    }
}
