using System.Collections.Concurrent;
using System.Threading.Channels;
using FTLPortal.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// The node's singleton fan-out. Each subscription has its own queue and reader, so events arrive in order and a slow
/// circuit never stalls training or the other subscribers.
/// </summary>
internal sealed partial class InProcessJobNotifier(ILogger<InProcessJobNotifier> logger) : IJobNotifier
{
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public void Publish(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.JobId is null || subscription.JobId == jobEvent.JobId)
            {
                subscription.Queue.Writer.TryWrite(jobEvent);
            }
        }
    }

    public IDisposable Subscribe(Guid? jobId, Func<JobEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, jobId, handler);
        _subscriptions[subscription.Id] = subscription;
        // The pump ends by itself when the subscription completes its queue on Dispose.
        _ = Task.Run(() => Pump(subscription));
        return subscription;
    }

    private async Task Pump(Subscription subscription)
    {
        await foreach (var jobEvent in subscription.Queue.Reader.ReadAllAsync())
        {
            try
            {
                await subscription.Handler(jobEvent);
            }
#pragma warning disable CA1031 // A failing subscriber (a closed circuit) must not stop its own later events.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(logger, jobEvent.Kind, jobEvent.JobId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A subscriber failed to handle {Kind} of job {JobId}")]
    private static partial void LogHandlerFailed(ILogger logger, JobEventKind kind, Guid jobId, Exception exception);

    private sealed class Subscription(InProcessJobNotifier owner, Guid? jobId, Func<JobEvent, Task> handler) : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();

        public Guid? JobId { get; } = jobId;

        public Func<JobEvent, Task> Handler { get; } = handler;

        public Channel<JobEvent> Queue { get; } = Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true });

        public void Dispose()
        {
            owner._subscriptions.TryRemove(Id, out _);
            Queue.Writer.TryComplete();
        }
    }
}
