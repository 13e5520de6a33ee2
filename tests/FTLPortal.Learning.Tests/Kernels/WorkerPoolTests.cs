using FTLPortal.Learning.Kernels;

namespace FTLPortal.Learning.Tests.Kernels;

public class WorkerPoolTests
{
    private sealed class Recording(Action<int>? inner = null) : IParallelWork
    {
        public int[] Runs { get; } = new int[4];

        public void Execute(int part, int parts)
        {
            Interlocked.Increment(ref Runs[part]);
            inner?.Invoke(part);
        }
    }

    [Fact]
    public void Run_ExecutesEveryPartOnce_EvenWhenNestedOrWithMorePartsThanThreads()
    {
        var nested = new Recording();
        var outer = new Recording(_ => WorkerPool.Shared.Run(nested, 2));

        WorkerPool.Shared.Run(outer, 2);
        var many = new Recording();
        WorkerPool.Shared.Run(many, 4);

        Assert.Equal([1, 1, 0, 0], outer.Runs);
        Assert.Equal([2, 2, 0, 0], nested.Runs); // each outer part ran the nested work once, inline or on the workers
        Assert.Equal([1, 1, 1, 1], many.Runs);
    }

    [Fact]
    public void Run_RethrowsAFailingPart()
    {
        var failing = new Recording(part =>
        {
            if (part == 1)
            {
                throw new InvalidOperationException("part 1");
            }
        });

        Exception error = Record.Exception(() => WorkerPool.Shared.Run(failing, 2))!;

        Assert.Contains("part 1", error.ToString(), StringComparison.Ordinal);
    }
}
