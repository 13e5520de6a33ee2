using FTLPortal.Core.Jobs;

namespace FTLPortal.Web.Tests.Support;

/// <summary>An in-memory notifier: Publish calls every matching subscriber, as the node's fan-out does.</summary>
public sealed class FakeJobNotifier : IJobNotifier
{
    private readonly List<(Guid? JobId, Func<JobEvent, Task> Handler)> _subscribers = [];

    public int SubscriberCount => _subscribers.Count;

    public void Publish(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        foreach (var (jobId, handler) in _subscribers.ToList())
        {
            if (jobId is null || jobId == jobEvent.JobId)
            {
                handler(jobEvent).GetAwaiter().GetResult();
            }
        }
    }

    public IDisposable Subscribe(Guid? jobId, Func<JobEvent, Task> handler)
    {
        var entry = (jobId, handler);
        _subscribers.Add(entry);
        return new Unsubscriber(() => _subscribers.Remove(entry));
    }

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
