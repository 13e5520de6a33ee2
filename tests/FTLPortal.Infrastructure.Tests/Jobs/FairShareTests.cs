using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Issue 10 finding 7: one user may hold at most a configured number of queued and running jobs.</summary>
public sealed class FairShareTests
{
    private const int Limit = 2;

    private static readonly PortalUserContext OtherScientist = new("scientist-2", "scientist-2@ftl.local", new HashSet<string> { PortalRoles.DataScientist }, null);

    [Fact]
    public async Task Schedule_RefusesWithClearMessageAndStoresNothing_WhenUserHoldsMaxActiveJobs()
    {
        await using var host = await PortalHost.StartAsync(configure: s => s.Configure<JobReliabilityOptions>(o => o.MaxActiveJobsPerUser = Limit));
        var jobs = host.Get<IJobService>();
        var domains = await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var parameters = new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() };
        // Due in an hour: they stay queued while the test runs.
        var later = JobTiming.At(DateTimeOffset.UtcNow.AddHours(1));
        var held = new List<Guid>();
        for (var i = 0; i < Limit; i++)
        {
            var accepted = await jobs.ScheduleSimilarityAsync(PortalHost.Scientist, parameters, later, default);
            Assert.True(accepted.Job is not null, accepted.Error);
            held.Add(accepted.Job.Id);
        }

        var before = (await jobs.ListAsync(PortalHost.Scientist, null, default)).Count;
        var refused = await jobs.ScheduleSimilarityAsync(PortalHost.Scientist, parameters, later, default);
        var otherUser = await jobs.ScheduleSimilarityAsync(OtherScientist, parameters, later, default);

        Assert.Null(refused.Job);
        Assert.Contains($"the most one user may have at once ({Limit})", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before + 1, (await jobs.ListAsync(PortalHost.Scientist, null, default)).Count);
        Assert.True(otherUser.Job is not null, otherUser.Error);

        // Cancelling one frees its slot.
        Assert.True(await jobs.CancelAsync(PortalHost.Scientist, held[0], default));
        var again = await jobs.ScheduleSimilarityAsync(PortalHost.Scientist, parameters, later, default);
        Assert.True(again.Job is not null, again.Error);
    }
}
