using FTLPortal.Learning.Models;

namespace FTLPortal.Learning.Tests;

/// <summary>
/// Finite-difference check of a whole layer with the loss L = Σ R ⊙ y (fixed random R, so dL/dy = R): every input coordinate
/// and every parameter coordinate, within <see cref="GradientCheck.MaxRelativeError"/>.
/// </summary>
internal static class LayerGradientCheck
{
    public static void Check(ILayer layer, float[] input, int rows, Random random)
    {
        float[] projection = GradientCheck.RandomValues(random, rows * layer.OutputSize);
        var output = new float[rows * layer.OutputSize];
        double Loss()
        {
            layer.Forward(input, rows, output);
            double sum = 0;
            for (int i = 0; i < output.Length; i++)
            {
                sum += (double)projection[i] * output[i];
            }

            return sum;
        }

        var inputGradient = new float[rows * layer.InputSize];
        layer.Forward(input, rows, output);
        layer.Backward(input, projection, rows, inputGradient, computeParameterGradients: true);
        float[][] parameterGradients = layer.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        for (int i = 0; i < input.Length; i++)
        {
            GradientCheck.AssertMatches(inputGradient[i], GradientCheck.Numeric(input, i, Loss), $"{layer.Name} input[{i}]");
        }

        for (int p = 0; p < parameterGradients.Length; p++)
        {
            float[] values = layer.Parameters[p].Value.Data;
            for (int i = 0; i < values.Length; i++)
            {
                GradientCheck.AssertMatches(parameterGradients[p][i], GradientCheck.Numeric(values, i, Loss), $"{layer.Parameters[p].Value.Name}[{i}]");
            }
        }
    }

    /// <summary>Distinct values at least 0.01 apart in random order, so max-pooling has no near-ties for ε to cross.</summary>
    public static float[] DistinctValues(Random random, int count)
    {
        float[] values = Enumerable.Range(0, count).Select(i => (i - (count / 2f)) * 0.01f).ToArray();
        random.Shuffle(values);
        return values;
    }
}
