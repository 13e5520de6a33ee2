using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.BaseModels;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Jobs;

/// <summary>Versions of a base model name stay distinct when several pre-training jobs of that name finish together.</summary>
public sealed class BaseModelVersionTests
{
    private const int Parallel = 4;

    [Fact]
    public async Task Pretraining_GivesDistinctVersions_WhenRequestsForOneNameRunConcurrently()
    {
        await using var host = await PortalHost.StartAsync();
        var jobs = host.Get<IJobService>();
        var source = (await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default)).Single(d => d.Name == "northwind-registry");
        var parameters = new PretrainingParameters { SourceDomainId = source.Id, ModelName = "concurrent", HiddenSizes = [8], Epochs = 1 };

        var requests = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => jobs.RequestPretrainingAsync(PortalHost.Scientist, parameters, default)));
        var done = new List<PortalJob>();
        foreach (var request in requests)
        {
            Assert.True(request.Succeeded, request.Error);
            done.Add(await host.WaitForAsync(request.Job!.Id));
        }

        Assert.All(done, j => Assert.True(j.Status == JobStatus.Completed, j.Error));
        // Each delivered first time: a version clash is resolved inside the step, not by a scheduler retry.
        Assert.All(done, j => Assert.Equal(1, j.Attempts));
        var models = (await host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default)).Where(m => m.Name == "concurrent").ToList();
        Assert.Equal(Enumerable.Range(1, Parallel), models.Select(m => m.Version).Order());
        Assert.Equal(done.Select(j => j.Id).Order(), models.Select(m => m.PretrainingJobId!.Value).Order());
    }

    /// <summary>On PostgreSQL the saves really run at once: the losers' inserts hit the unique index and take the next number.</summary>
    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task SaveAsNextVersionAsync_NumbersEveryModelOnce_WhenManySavesOfOneNameRace(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        const int saves = 12;
        var source = (await host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default))[0];
        var factory = host.Get<IDbContextFactory<PortalDbContext>>();
        var models = Enumerable.Range(0, saves).Select(i => new BaseModel
        {
            Name = "raced",
            SourceDomainId = source.Id,
            ArchitectureJson = "{}",
            LayersJson = "[]",
            WeightsArtifact = $"models/raced-{i}.safetensors",
        }).ToList();

        // All at once: several read the same highest version and try to insert the same number.
        await Task.WhenAll(models.Select(m => Task.Run(() => BaseModelVersions.SaveAsNextVersionAsync(factory, m, default))));

        await using var db = await factory.CreateDbContextAsync();
        var versions = await db.BaseModels.Where(m => m.Name == "raced").Select(m => m.Version).ToListAsync();
        Assert.Equal(Enumerable.Range(1, saves), versions.Order());
    }
}
