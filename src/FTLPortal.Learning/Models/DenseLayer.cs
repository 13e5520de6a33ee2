using System.Numerics.Tensors;
using FTLPortal.Learning.Kernels;

namespace FTLPortal.Learning.Models;

/// <summary>y = x Wᵀ + b with W of shape [out, in] (the PyTorch layout, so weights map one-to-one to safetensors files).</summary>
public sealed class DenseLayer : WeightAndBiasLayer
{
    public DenseLayer(string name, int inputSize, int outputSize)
        : base(name, CheckedWeightShape(name, inputSize, outputSize), initialWeight: 0f)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    public override string Kind => LayerSpec.DenseKind;

    public override int InputSize { get; }

    public override int OutputSize { get; }

    /// <summary>Kaiming/He uniform: U(-√(6/fan_in), √(6/fan_in)) for weights, zero bias; suits ReLU networks.</summary>
    public void InitializeHeUniform(Random random) => InitializeHeUniform(random, InputSize);

    public override void Forward(ReadOnlySpan<float> input, int rows, Span<float> output)
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

    public override void Backward(
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

    // Runs before the base class allocates the tensors, so bad sizes fail as they always have.
    private static int[] CheckedWeightShape(string name, int inputSize, int outputSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        return [outputSize, inputSize];
    }
}
