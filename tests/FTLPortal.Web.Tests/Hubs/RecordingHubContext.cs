using System.Collections.Concurrent;
using FTLPortal.Core.Jobs;
using FTLPortal.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Web.Tests.Hubs;

/// <summary>An <see cref="IHubContext{THub,T}"/> that records which audience each client call was addressed to.</summary>
internal sealed class RecordingHubContext : IHubContext<JobsHub, IJobsClient>
{
    public RecordingHubContext() => Clients = new RecordingClients(this);

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public IHubClients<IJobsClient> Clients { get; }

    public IGroupManager Groups => throw new NotSupportedException("The forwarder never manages groups.");

    /// <summary>Every group an event was sent to, with the connections left out of it.</summary>
    public IEnumerable<(string Group, IReadOnlyList<string> Excluded, JobEvent Event)> GroupSends =>
        Deliveries.SelectMany(d => d.Groups.Select(g => (g, d.Excluded, d.Event)));

    internal sealed record Delivery(IReadOnlyList<string> Groups, IReadOnlyList<string> Excluded, JobEvent Event);

    private sealed class RecordingClients(RecordingHubContext owner) : IHubClients<IJobsClient>
    {
        public IJobsClient All => Unexpected(nameof(All));

        public IJobsClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => Unexpected(nameof(AllExcept));

        public IJobsClient Client(string connectionId) => Unexpected(nameof(Client));

        public IJobsClient Clients(IReadOnlyList<string> connectionIds) => Unexpected(nameof(Clients));

        public IJobsClient Group(string groupName) => new Proxy(owner, [groupName], []);

        public IJobsClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => new Proxy(owner, [groupName], excludedConnectionIds);

        public IJobsClient Groups(IReadOnlyList<string> groupNames) => new Proxy(owner, groupNames, []);

        public IJobsClient OthersInGroup(string groupName) => Unexpected(nameof(OthersInGroup));

        public IJobsClient User(string userId) => Unexpected(nameof(User));

        public IJobsClient Users(IReadOnlyList<string> userIds) => Unexpected(nameof(Users));

        private static IJobsClient Unexpected(string member) => throw new NotSupportedException($"The forwarder should not address {member}.");
    }

    private sealed class Proxy(RecordingHubContext owner, IReadOnlyList<string> groups, IReadOnlyList<string> excluded) : IJobsClient
    {
        public Task JobEvent(JobEvent e)
        {
            owner.Deliveries.Enqueue(new Delivery(groups.ToList(), excluded.ToList(), e));
            return Task.CompletedTask;
        }
    }
}
