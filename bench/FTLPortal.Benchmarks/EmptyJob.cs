namespace FTLPortal.Benchmarks;

/// <summary>The job of the throughput figure: does nothing, so what is measured is Hangfire's storage and server.</summary>
public static class EmptyJob
{
    public static void Run()
    {
        // Intentionally empty.
    }
}
