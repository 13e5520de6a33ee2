namespace FTLPortal.Core.Jobs;

/// <summary>The node's event fan-out: job runners publish, pages and the SignalR forwarder subscribe.</summary>
public interface IJobNotifier
{
    void Publish(JobEvent jobEvent);

    /// <summary>Subscribes to one job's events, or to every job's when <paramref name="jobId"/> is null. Dispose to unsubscribe.</summary>
    IDisposable Subscribe(Guid? jobId, Func<JobEvent, Task> handler);
}
