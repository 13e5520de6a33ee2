using System.Diagnostics;
using System.Globalization;
using FTLPortal.Learning.Kernels;

namespace FTLPortal.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "all";
        if (what is "sgemm" or "all")
        {
            Sgemm(1024);
        }

        return 0;
    }

    private static void Sgemm(int size)
    {
        var random = new Random(1);
        float[] a = Enumerable.Range(0, size * size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, size * size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] c = new float[size * size];
        for (int i = 0; i < 3; i++)
        {
            Gemm.Multiply(size, size, size, a, size, false, b, size, false, c, size, false);
        }

        double best = double.MaxValue;
        for (int i = 0; i < 10; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Multiply(size, size, size, a, size, false, b, size, false, c, size, false);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        Print($"sgemm_{size}_gflops", 2.0 * size * size * size / best / 1e9);
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###}"));
}
