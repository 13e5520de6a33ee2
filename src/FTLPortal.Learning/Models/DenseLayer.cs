using System.Numerics.Tensors;
using FTLPortal.Learning.Kernels;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Learning.Models;

/// <summary>y = x Wᵀ + b with W of shape [out, in] (the PyTorch layout, so weights map one-to-one to safetensors files).</summary>
public sealed class DenseLayer : ILayer
{
    private readonly TrainableParameter[] _parameters;

    public DenseLayer(string name, int inputSize, int outputSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        Name = name;
        InputSize = inputSize;
        OutputSize = outputSize;
        Weight = new NamedTensor($"{name}.weight", [outputSize, inputSize], new float[outputSize * inputSize]);
        Bias = new NamedTensor($"{name}.bias", [outputSize], new float[outputSize]);
        WeightGradient = new float[Weight.Data.Length];
        BiasGradient = new float[outputSize];
        _parameters =
        [
            new TrainableParameter(name, Weight, WeightGradient),
            new TrainableParameter(name, Bias, BiasGradient),
        ];
    }

    public string Name { get; }

    public string Kind => LayerSpec.DenseKind;

    public int InputSize { get; }

    public int OutputSize { get; }

    public NamedTensor Weight { get; }

    public NamedTensor Bias { get; }

#pragma warning disable CA1819 // Gradient buffers are written in place by the backward pass.
    public float[] WeightGradient { get; }

    public float[] BiasGradient { get; }
#pragma warning restore CA1819

    public IReadOnlyList<TrainableParameter> Parameters => _parameters;

    /// <summary>Kaiming/He uniform: U(-√(6/fan_in), √(6/fan_in)) for weights, zero bias; suits ReLU networks.</summary>
    public void InitializeHeUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double bound = Math.Sqrt(6.0 / InputSize);
        float[] weights = Weight.Data;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((random.NextDouble() * 2.0) - 1.0) * bound);
        }

        Array.Clear(Bias.Data);
    }

    public void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
    {
        ReadOnlySpan<float> bias = Bias.Data;
        int inSize = InputSize;
        int outSize = OutputSize;
        for (int r = 0; r < rows; r++)
        {
            bias.CopyTo(output.Slice(r * outSize, outSize));
        }

        // y[rows, out] += x[rows, in] · Wᵀ[in, out]
        Gemm.Multiply(rows, outSize, inSize, input, inSize, false, Weight.Data, inSize, true, output, outSize, accumulate: true);
    }

    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        int rows,
        Span<float> inputGradient,
        bool computeParameterGradients)
    {
        int inSize = InputSize;
        int outSize = OutputSize;
        if (computeParameterGradients)
        {
            // dW[out, in] = dyᵀ[out, rows] · x[rows, in]
            Gemm.Multiply(outSize, inSize, rows, outputGradient, outSize, true, input, inSize, false, WeightGradient, inSize, accumulate: false);
            Span<float> biasGradient = BiasGradient;
            biasGradient.Clear();
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(biasGradient, outputGradient.Slice(r * outSize, outSize), biasGradient);
            }
        }

        if (!inputGradient.IsEmpty)
        {
            // dx[rows, in] = dy[rows, out] · W[out, in]
            Gemm.Multiply(rows, inSize, outSize, outputGradient, outSize, false, Weight.Data, inSize, false, inputGradient, inSize, accumulate: false);
        }
    }
}
