namespace FTLPortal.Learning.Summaries;

/// <summary>
/// z(x) = √(2/D) cos(Wx + b), W ~ N(0, 1/σ²), b ~ U[0, 2π): z(x)·z(y) ≈ exp(−‖x−y‖²/(2σ²)) (Rahimi and Recht, 2007).
/// The same seed gives the same W and b on every machine, so embeddings from different partners are comparable.
/// </summary>
public sealed class RandomFourierFeatures
{
    private readonly double[] _frequencies;
    private readonly double[] _phases;
    private readonly double _scale;

    public RandomFourierFeatures(int inputDimension, int dimension, double bandwidth, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), "The bandwidth must be positive and finite.");
        }

        InputDimension = inputDimension;
        Dimension = dimension;
        Bandwidth = bandwidth;
        _frequencies = new double[dimension * inputDimension];
        _phases = new double[dimension];
        _scale = Math.Sqrt(2.0 / dimension);
#pragma warning disable CA5394 // A shared, reproducible projection, not a secret.
        var random = new Random(seed);
        for (int i = 0; i < _frequencies.Length; i++)
        {
            _frequencies[i] = NextFrequency(random, bandwidth);
        }

        for (int k = 0; k < dimension; k++)
        {
            _phases[k] = random.NextDouble() * 2.0 * Math.PI;
        }
#pragma warning restore CA5394
    }

    /// <summary>One entry of W: a Box–Muller normal draw over σ. The summarizer draws the same sequence without keeping W.</summary>
    internal static double NextFrequency(Random random, double bandwidth)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2) / bandwidth;
    }

    public int InputDimension { get; }

    public int Dimension { get; }

    public double Bandwidth { get; }

    public void Transform(ReadOnlySpan<float> row, Span<double> output)
    {
        if (row.Length != InputDimension)
        {
            throw new ArgumentException($"Expected {InputDimension} features, got {row.Length}.", nameof(row));
        }

        if (output.Length < Dimension)
        {
            throw new ArgumentException($"The output needs room for {Dimension} values.", nameof(output));
        }

        ReadOnlySpan<double> frequencies = _frequencies;
        for (int k = 0; k < Dimension; k++)
        {
            ReadOnlySpan<double> w = frequencies.Slice(k * InputDimension, InputDimension);
            double dot = _phases[k];
            for (int i = 0; i < row.Length; i++)
            {
                dot += w[i] * row[i];
            }

            output[k] = _scale * Math.Cos(dot);
        }
    }
}
