using System.Collections.Concurrent;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Jobs a user asked to cancel. Lets the runner tell a user's cancel (record Cancelled) from the node shutting down
/// (leave the job to resume at the next start).
/// </summary>
internal sealed class JobCancellationRequests
{
    private readonly ConcurrentDictionary<Guid, bool> _requested = new();

    public void Request(Guid jobId) => _requested[jobId] = true;

    public bool IsRequested(Guid jobId) => _requested.ContainsKey(jobId);

    public void Forget(Guid jobId) => _requested.TryRemove(jobId, out _);
}
