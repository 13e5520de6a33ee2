using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Web.Hubs;
using Microsoft.Extensions.Logging.Abstractions;

namespace FTLPortal.Web.Tests.Hubs;

public sealed class JobHubForwarderTests : IAsyncLifetime, IDisposable
{
    private static readonly Guid Northwind = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a01");
    private static readonly Guid Contoso = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a02");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly InProcessJobNotifier _notifier = new(NullLogger<InProcessJobNotifier>.Instance);
    private readonly RecordingHubContext _hub = new();
    private readonly JobsHubConnections _connections = new();
    private readonly JobHubForwarder _forwarder;

    public JobHubForwarderTests()
    {
        _forwarder = new JobHubForwarder(_notifier, _hub, _connections, NullLogger<JobHubForwarder>.Instance);
    }

    public Task InitializeAsync() => _forwarder.StartAsync(CancellationToken.None);

    public Task DisposeAsync() => _forwarder.StopAsync(CancellationToken.None);

    public void Dispose() => _forwarder.Dispose();

    [Fact]
    public async Task Publish_ReachesJobStaffAndInvolvedPartnerGroups_WhenForwarderIsStarted()
    {
        var jobEvent = Event(Northwind);

        _notifier.Publish(jobEvent);
        await WaitForDeliveriesAsync(2);

        var groups = _hub.GroupSends.Where(s => s.Event == jobEvent).Select(s => s.Group).ToList();
        Assert.Contains(JobsHubGroups.Job(jobEvent.JobId), groups);
        Assert.Contains(JobsHubGroups.Staff, groups);
        Assert.Contains(JobsHubGroups.Partner(Northwind), groups);
        Assert.Equal(groups.Count, groups.Distinct().Count());
    }

    [Fact]
    public async Task Publish_IsNotSentToAnotherPartnersGroup_WhenOnlyOnePartnerIsInvolved()
    {
        _notifier.Publish(Event(Northwind));
        _notifier.Publish(Event(Contoso));
        await WaitForDeliveriesAsync(4);

        var contosoGroup = JobsHubGroups.Partner(Contoso);
        var toContoso = _hub.GroupSends.Where(s => s.Group == contosoGroup).Select(s => s.Event.PartnerIds).ToList();
        Assert.Single(toContoso);
        Assert.Equal([Contoso], toContoso[0]);
        Assert.DoesNotContain(_hub.GroupSends, s => s.Group == JobsHubGroups.Partner(Northwind) && s.Event.PartnerIds.Contains(Contoso));
    }

    [Fact]
    public async Task Publish_SendsToEveryInvolvedPartner_WhenJobSpansPartners()
    {
        var jobEvent = Event(Northwind, Contoso);

        _notifier.Publish(jobEvent);
        await WaitForDeliveriesAsync(2);

        var groups = _hub.GroupSends.Select(s => s.Group).ToList();
        Assert.Contains(JobsHubGroups.Partner(Northwind), groups);
        Assert.Contains(JobsHubGroups.Partner(Contoso), groups);
    }

    [Fact]
    public async Task Publish_LeavesOutOfJobGroupTheConnectionsReachedThroughBroadGroups_WhenTheyAlsoSubscribed()
    {
        _connections.Add("staff-connection", User(PortalRoles.Ops, partnerId: null));
        _connections.Add("northwind-connection", User(PortalRoles.PartnerAdmin, Northwind));
        _connections.Add("contoso-connection", User(PortalRoles.PartnerAdmin, Contoso));
        var jobEvent = Event(Northwind);

        _notifier.Publish(jobEvent);
        await WaitForDeliveriesAsync(2);

        var jobSend = Assert.Single(_hub.GroupSends, s => s.Group == JobsHubGroups.Job(jobEvent.JobId));
        Assert.Equal(["northwind-connection", "staff-connection"], jobSend.Excluded.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_IsNotForwarded_WhenForwarderIsStopped()
    {
        await _forwarder.StopAsync(CancellationToken.None);
        var probe = new TaskCompletionSource();
        using var witness = _notifier.Subscribe(null, _ =>
        {
            probe.TrySetResult();
            return Task.CompletedTask;
        });

        _notifier.Publish(Event(Northwind));
        await probe.Task.WaitAsync(Timeout);
        await Task.Delay(100);

        Assert.Empty(_hub.Deliveries);
    }

    private async Task WaitForDeliveriesAsync(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (_hub.Deliveries.Count < count)
        {
            await Task.Delay(10, cts.Token);
        }
    }

    private static JobEvent Event(params Guid[] partners) => new()
    {
        JobId = Guid.NewGuid(),
        Kind = JobEventKind.RoundCompleted,
        JobKind = JobKind.FineTuning,
        Status = JobStatus.Running,
        Round = 1,
        TotalRounds = 3,
        PartnerIds = partners,
    };

    private static PortalUserContext User(string role, Guid? partnerId) =>
        new(Guid.NewGuid().ToString(), $"{role}@ftl.local", new HashSet<string> { role }, partnerId);
}
