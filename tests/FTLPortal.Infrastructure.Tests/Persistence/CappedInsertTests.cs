using System.Text;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Similarity;
using FTLPortal.Infrastructure.Domains;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using FTLPortal.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Tests.Persistence;

/// <summary>
/// The caps hold in the database alone: each of 20 racing requests goes through a service of its own (its own in-process
/// lock, as on 20 portal nodes sharing one database), so only the serializable transaction keeps them apart. The cap's
/// query is held a moment after it runs, so without that transaction every racer would count before any inserts. On
/// SQLite the racers queue on the write lock; on PostgreSQL they really run at once, all but one are aborted with a
/// serialization failure, and their retries count the winner's row.
/// </summary>
public sealed class CappedInsertTests
{
    private const int Racers = 20;

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task RegisterAsync_LetsExactlyOneIn_When20ServicesWithoutASharedLockRaceAtCapMinusOne(PortalDatabaseProvider database)
    {
        var slow = SlowQueryInterceptor.OnDomainsQuery();
        await using var host = await PortalHost.StartAsync(configure: s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(slow)), database: database);
        var user = PortalHost.PartnerAdmin("contoso");
        var existing = (await host.Get<IDomainService>().ListAsync(user, default)).Count;
        host.Get<IOptions<PortalOptions>>().Value.MaxDomainsPerPartner = existing + 1;
        var agentFolder = Path.Combine(host.DataDirectory, "agents", "contoso");
        var filesBefore = Directory.GetFiles(agentFolder).Length;
        slow.Enabled = true;

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            var node = ActivatorUtilities.CreateInstance<DomainService>(host.Services, new CappedInsert());
            var registration = new DomainRegistration(user.PartnerId!.Value, $"racer {i}", "label", "upload.csv", user.Email);
            return await node.RegisterAsync(user, registration, new MemoryStream(Encoding.UTF8.GetBytes("a,b,label\n1,2,x\n3,4,y\n5,6,x\n2,1,y\n")), default);
        })));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains($"the most allowed ({existing + 1})", r.Error, StringComparison.Ordinal));
        Assert.Equal(existing + 1, (await host.Get<IDomainService>().ListAsync(user, default)).Count);
        // The refused uploads' files were removed again: only the admitted domain's files are new.
        var winner = results.Single(r => r.Succeeded).Domain!.Id.ToString();
        Assert.Equal(filesBefore, Directory.GetFiles(agentFolder).Count(f => !Path.GetFileName(f).Contains(winner, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task ScheduleSimilarityAsync_LetsExactlyOneIn_When20ServicesWithoutASharedLockRaceAtCapMinusOne(PortalDatabaseProvider database)
    {
        const int limit = 3;
        var slow = SlowQueryInterceptor.OnJobCount();
        await using var host = await PortalHost.StartAsync(
            configure: s => s
                .Configure<JobReliabilityOptions>(o => o.MaxActiveJobsPerUser = limit)
                .ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(slow)),
            database: database);
        var jobs = host.Get<IJobService>();
        var domains = await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default);
        var parameters = new SimilarityParameters { DomainIds = domains.Select(d => d.Id).ToList() };
        // Due in an hour: they stay queued, and so keep counting, while the test runs.
        var later = JobTiming.At(DateTimeOffset.UtcNow.AddHours(1));
        for (var i = 0; i < limit - 1; i++)
        {
            var held = await jobs.ScheduleSimilarityAsync(PortalHost.Scientist, parameters, later, default);
            Assert.True(held.Job is not null, held.Error);
        }

        slow.Enabled = true;
        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
        {
            var node = ActivatorUtilities.CreateInstance<JobService>(host.Services, new CappedInsert());
            return await node.ScheduleSimilarityAsync(PortalHost.Scientist, parameters, later, default);
        })));

        Assert.Single(results, r => r.Job is not null);
        Assert.All(results.Where(r => r.Job is null), r => Assert.Contains($"the most one user may have at once ({limit})", r.Error, StringComparison.Ordinal));
        Assert.Equal(limit, (await jobs.ListAsync(PortalHost.Scientist, null, default)).Count(j => j.Status == JobStatus.Queued));
    }
}
