using FTLPortal.Learning.Kernels;

namespace FTLPortal.Learning.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes => new()
    {
        { 1, 1, 1, false, false },
        { 7, 5, 3, false, false },
        { 6, 16, 9, false, false },
        { 13, 33, 300, false, true },
        { 29, 17, 70, true, false },
        { 150, 40, 260, true, true },
        { 200, 300, 100, false, false },
        { 25, 70, 64, false, false }, // k a multiple of 8: full A slivers are packed by 8×8 register transposes
        { 36, 40, 520, false, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_MatchesNaiveProduct_ForShapesAndTranspositions(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + (n * 7) + k);
        float[] a = GradientCheck.RandomValues(random, m * k);
        float[] b = GradientCheck.RandomValues(random, k * n);
        float[] c = GradientCheck.RandomValues(random, m * n);
        float[] expected = c.ToArray();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float x = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    float y = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += (double)x * y;
                }

                expected[(i * n) + j] += (float)sum;
            }
        }

        Gemm.Multiply(m, n, k, a, transposeA ? m : k, transposeA, b, transposeB ? k : n, transposeB, c, n, accumulate: true);

        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-4 * Math.Sqrt(k) * (1 + Math.Abs(expected[i])), $"c[{i}] = {c[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Multiply_OverwritesOutput_WhenNotAccumulating()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [5, 6, 7, 8];
        float[] c = [100, 100, 100, 100];

        Gemm.Multiply(2, 2, 2, a, 2, false, b, 2, false, c, 2, accumulate: false);

        Assert.Equal([19f, 22f, 43f, 50f], c);
    }

    [Fact]
    public void Multiply_RespectsLeadingDimensions_ForSubmatrices()
    {
        // A is the left 2×2 block of a 2×3 matrix; C is written into a 2×4 buffer with stride 4.
        float[] a = [1, 2, -9, 3, 4, -9];
        float[] b = [1, 0, 0, 1];
        float[] c = new float[8];

        Gemm.Multiply(2, 2, 2, a, 3, false, b, 2, false, c, 4, accumulate: false);

        Assert.Equal([1f, 2f, 0f, 0f, 3f, 4f, 0f, 0f], c);
    }

    [Fact]
    public void Multiply_GivesBitIdenticalResults_ForOneAndTwoThreads()
    {
        var random = new Random(3);
        const int m = 130, n = 250, k = 300;
        float[] a = GradientCheck.RandomValues(random, m * k);
        float[] b = GradientCheck.RandomValues(random, k * n);
        var one = new float[m * n];
        var two = new float[m * n];

        Gemm.Multiply(m, n, k, a, k, false, b, n, false, one, n, false, threads: 1);
        Gemm.Multiply(m, n, k, a, k, false, b, n, false, two, n, false, threads: 2);

        Assert.Equal(one, two);
    }

    [Fact]
    public void Multiply_Throws_WhenAMatrixDoesNotFit()
    {
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, 2, 2, new float[3], 2, false, new float[4], 2, false, c, 2, false));
    }
}
