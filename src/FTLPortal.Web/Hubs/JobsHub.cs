using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FTLPortal.Web.Hubs;

/// <summary>
/// <c>/hubs/jobs</c>: job events for external subscribers, with the pages' authorization. On connect a user joins
/// <c>staff</c> (Admin, DataScientist, Ops) and/or <c>partner:{id}</c>; <see cref="SubscribeToJob"/> adds one job's
/// group, only for a job the user may see.
/// </summary>
[Authorize]
public sealed class JobsHub(IJobService jobs, JobsHubConnections connections) : Hub<IJobsClient>
{
    public const string Path = "/hubs/jobs";

    public override async Task OnConnectedAsync()
    {
        var user = PortalUserContextFactory.FromPrincipal(Context.User!);
        connections.Add(Context.ConnectionId, user);
        foreach (var group in JobsHubGroups.For(user))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Receive one job's events; fails with "not found" for a job the user may not see (or that does not exist).</summary>
    public async Task SubscribeToJob(Guid jobId)
    {
        var user = PortalUserContextFactory.FromPrincipal(Context.User!);
        if (await jobs.FindAsync(user, jobId, Context.ConnectionAborted) is null)
        {
            throw new HubException("not found");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobsHubGroups.Job(jobId), Context.ConnectionAborted);
    }

    public Task UnsubscribeFromJob(Guid jobId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, JobsHubGroups.Job(jobId), Context.ConnectionAborted);
}
