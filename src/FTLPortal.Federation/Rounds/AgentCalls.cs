namespace FTLPortal.Federation.Rounds;

/// <summary>Runs one agent call off the caller's thread with a time limit, telling a timeout apart from the run's cancellation.</summary>
internal static class AgentCalls
{
    public static async Task<T> WithTimeoutAsync<T>(
        Func<CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        linked.CancelAfter(timeout);
        // Task.Run: an agent that works synchronously before its first await must not serialize the round.
        Task<T> task = Task.Run(() => call(linked.Token), CancellationToken.None);
        try
        {
            // WaitAsync: an agent that ignores its token is still abandoned at the deadline.
            return await task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && linked.IsCancellationRequested)
        {
            Observe(task);
            throw new TimeoutException($"The agent did not answer within {timeout}.");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Observe(task);
            throw;
        }
    }

    private static void Observe(Task task) =>
        task.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public static string Describe(Exception exception) => exception switch
    {
        TimeoutException timeout => timeout.Message,
        _ => $"the agent failed ({exception.GetType().Name}): {exception.Message}",
    };
}
