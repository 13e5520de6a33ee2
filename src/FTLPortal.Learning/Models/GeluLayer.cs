namespace FTLPortal.Learning.Models;

/// <summary>
/// GELU, y = x·Φ(x), as PyTorch's nn.GELU(): exact by default (erf from Abramowitz–Stegun 7.1.26, absolute error under
/// 1.5e-7, below float32 resolution near 1), or PyTorch's approximate="tanh" form 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).
/// </summary>
public sealed class GeluLayer : ElementwiseLayer
{
    private const double Sqrt2OverPi = 0.7978845608028654;
    private const double Cubic = 0.044715;
    private const double InverseSqrt2 = 0.7071067811865476;
    private const double InverseSqrt2Pi = 0.3989422804014327;

    public GeluLayer(string name, int size, bool approximateTanh = false)
        : base(name, LayerSpec.GeluKind, size)
    {
        ApproximateTanh = approximateTanh;
    }

    public bool ApproximateTanh { get; }

    private protected override void ForwardElements(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            output[i] = (float)(ApproximateTanh
                ? 0.5 * x * (1 + Math.Tanh(Sqrt2OverPi * (x + (Cubic * x * x * x))))
                : x * Phi(x));
        }
    }

    private protected override void BackwardElements(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            double derivative;
            if (ApproximateTanh)
            {
                double t = Math.Tanh(Sqrt2OverPi * (x + (Cubic * x * x * x)));
                double dInner = Sqrt2OverPi * (1 + (3 * Cubic * x * x));
                derivative = (0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * dInner);
            }
            else
            {
                // d/dx x·Φ(x) = Φ(x) + x·φ(x)
                derivative = Phi(x) + (x * InverseSqrt2Pi * Math.Exp(-0.5 * x * x));
            }

            inputGradient[i] = (float)(outputGradient[i] * derivative);
        }
    }

    // Standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2.
    private static double Phi(double x) => 0.5 * (1 + Erf(x * InverseSqrt2));

    private static double Erf(double x)
    {
        double sign = Math.Sign(x);
        x = Math.Abs(x);
        double t = 1 / (1 + (0.3275911 * x));
        double polynomial = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        return sign * (1 - (polynomial * Math.Exp(-x * x)));
    }
}
