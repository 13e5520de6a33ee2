namespace FTLPortal.Learning.Kernels;

/// <summary>
/// How many threads the kernels use (default: the processor count). Results are bit-identical for the same thread count;
/// GEMM results do not depend on it at all because each output element is summed in the same order on any thread.
/// </summary>
public static class ComputeThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    public static int Count
    {
        get => _count;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _count = value;
        }
    }
}
