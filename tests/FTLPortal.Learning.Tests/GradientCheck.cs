namespace FTLPortal.Learning.Tests;

/// <summary>Central finite differences against float32 code, and the tolerance used to compare them with analytic gradients.</summary>
internal static class GradientCheck
{
    /// <summary>Step for central differences in float32: large enough that rounding noise stays well below the gradient.</summary>
    public const float Epsilon = 1e-3f;

    /// <summary>Maximum relative error |a − n| / max(|a| + |n|, <see cref="Floor"/>) accepted for float32 with ε = 1e-3.</summary>
    public const double MaxRelativeError = 1e-2;

    /// <summary>Keeps near-zero gradients from turning rounding noise into a large relative error.</summary>
    public const double Floor = 1e-2;

    public static double RelativeError(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), Floor);

    /// <summary>(f(x + ε) − f(x − ε)) / 2ε for coordinate <paramref name="index"/> of <paramref name="values"/>, restoring it afterwards.</summary>
    public static double Numeric(float[] values, int index, Func<double> loss)
    {
        float original = values[index];
        values[index] = original + Epsilon;
        double plus = loss();
        values[index] = original - Epsilon;
        double minus = loss();
        values[index] = original;

        // Divide by the step actually taken in float32, not the nominal 2ε.
        double step = (double)(original + Epsilon) - (double)(original - Epsilon);
        return (plus - minus) / step;
    }

    public static void AssertMatches(double analytic, double numeric, string what)
    {
        double error = RelativeError(analytic, numeric);
        Assert.True(
            error < MaxRelativeError,
            $"{what}: analytic {analytic:G6} vs numeric {numeric:G6} (relative error {error:G3} ≥ {MaxRelativeError}).");
    }

    public static float[] RandomValues(Random random, int count, double scale = 1.0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }
}
