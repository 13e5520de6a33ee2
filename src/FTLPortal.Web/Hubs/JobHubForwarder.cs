using FTLPortal.Core.Jobs;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Web.Hubs;

/// <summary>
/// Forwards every event of this node's <see cref="IJobNotifier"/> to <see cref="JobsHub"/>: to <c>staff</c>, to
/// <c>partner:{id}</c> of each involved partner, and to <c>job:{id}</c> (except connections already reached).
/// </summary>
public sealed partial class JobHubForwarder(
    IJobNotifier notifier,
    IHubContext<JobsHub, IJobsClient> hub,
    JobsHubConnections connections,
    ILogger<JobHubForwarder> logger) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.Subscribe(null, ForwardAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    internal async Task ForwardAsync(JobEvent jobEvent)
    {
        var broad = new List<string>(1 + jobEvent.PartnerIds.Count) { JobsHubGroups.Staff };
        broad.AddRange(jobEvent.PartnerIds.Distinct().Select(JobsHubGroups.Partner));
        try
        {
            await hub.Clients.Groups(broad).JobEvent(jobEvent);
            await hub.Clients.GroupExcept(JobsHubGroups.Job(jobEvent.JobId), connections.CoveredByBroadGroups(jobEvent)).JobEvent(jobEvent);
        }
#pragma warning disable CA1031 // A failed send must not end the subscription; the next event goes out as usual.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogForwardFailed(logger, jobEvent.Kind, jobEvent.JobId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward {Kind} of job {JobId} to the jobs hub")]
    private static partial void LogForwardFailed(ILogger logger, JobEventKind kind, Guid jobId, Exception exception);
}
