using FTLPortal.Core.Jobs;
using FTLPortal.Core.Operations;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Operations;

/// <summary>The Ops page's data from the portal database and the agents' health log; scheduler internals are on the dashboard.</summary>
internal sealed class OpsOverview(
    IDbContextFactory<PortalDbContext> dbFactory,
    AgentHealthLog health,
    AgentDirectory directory,
    RemoteAgentConnections connections,
    TimeProvider clock) : IOpsOverview
{
    private const int RecentJobs = 200;

    public async Task<OpsSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = (await db.Jobs.GroupBy(j => j.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Status, c => c.Count);
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            counts.TryAdd(status, 0);
        }

        var partners = await db.Partners.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var names = partners.ToDictionary(p => p.Id.ToString(), p => p.Name, StringComparer.Ordinal);
        var jobs = await db.Jobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(RecentJobs).ToListAsync(cancellationToken);
        var lines = jobs
            // Running first, then waiting, then the finished, each newest first.
            .OrderBy(j => j.Status switch { JobStatus.Running => 0, JobStatus.Queued => 1, _ => 2 })
            .ThenByDescending(j => j.CreatedAt)
            .Select(j => new OpsJobLine(
                j.Id, j.Name, j.Kind, j.Status, j.CurrentRound, j.TotalRounds,
                j.InvolvedPartners.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => names.GetValueOrDefault(id, id)).ToList(),
                j.Attempts, j.IsCancelRequested, j.Error, j.ProgressMessage, j.CreatedAt, j.ScheduledFor, j.StartedAt, j.FinishedAt))
            .ToList();
        var agents = partners.Select(p =>
        {
            var (seen, error) = health.Of(p.Id);
            if (directory.ModeOf(p.Slug) != AgentMode.Remote)
            {
                return new AgentHealth(p.Id, p.Name, seen, error);
            }

            // A remote agent is also seen when it (re)connects; its connection is the first thing Ops needs to know.
            var connection = connections.Of(p.Id);
            return new AgentHealth(p.Id, p.Name, seen, error)
            {
                IsRemote = true,
                ConnectedSince = connection?.ConnectedAt,
                DisconnectedAt = connection is null ? connections.LastDisconnectedAt(p.Id) : null,
            };
        }).ToList();
        var schedules = await db.RecurringSchedules.CountAsync(cancellationToken);
        return new OpsSnapshot(counts, lines, agents, schedules, HangfireDashboardEndpoints.DefaultPath, clock.GetUtcNow());
    }
}
