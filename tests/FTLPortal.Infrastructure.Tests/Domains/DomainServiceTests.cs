using System.Text;
using FTLPortal.Core.Domains;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Domains;

/// <summary>
/// Each test on a host (and database) of its own; those about what is stored and who sees it run on PostgreSQL too (the
/// rules above the database are the same on both, and each PostgreSQL host costs the suite a few seconds).
/// </summary>
public sealed class DomainServiceTests
{
    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string AgentFolder(PortalHost host, string slug) => Path.Combine(host.DataDirectory, "agents", slug);

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task RegisterAsync_StoresFileWithAgentAndSummaryInDatabase_WhenCsvIsValid(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var user = PortalHost.PartnerAdmin("contoso");
        var csv = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n";
        var result = await host.Get<IDomainService>().RegisterAsync(user, new DomainRegistration(user.PartnerId!.Value, "tiny", "label", "tiny.csv", user.Email), Csv(csv), default);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.Domain!.Rows);
        Assert.Equal(2, result.Domain.FeatureCount);
        var stats = DomainStatistics.FromSummaryJson(result.Domain.SummaryJson);
        Assert.Equal(["x", "y"], stats.ClassNames);
        Assert.Equal([2, 1], stats.ClassCounts);
        Assert.Equal(3.0, stats.Means[0], 6);
        Assert.True(File.Exists(Path.Combine(AgentFolder(host, "contoso"), $"{result.Domain.Id}.csv")));
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite, "a,b,label\n1,zz,x\n3,4,y\n", "not a number")]
    [InlineData(PortalDatabaseProvider.Sqlite, "a,b,label\n1,2,x\n3,4\n", "cells")]
    [InlineData(PortalDatabaseProvider.Sqlite, "a,b,target\n1,2,x\n3,4,y\n", "label")]
    [InlineData(PortalDatabaseProvider.Sqlite, "", "empty")]
    [PostgreSqlData("a,b,label\n1,zz,x\n3,4,y\n", "not a number")]
    public async Task RegisterAsync_RefusesWithMessageAndStoresNothing_WhenCsvIsMalformed(PortalDatabaseProvider database, string csv, string expected)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var user = PortalHost.PartnerAdmin("fabrikam");
        var before = Directory.GetFiles(AgentFolder(host, "fabrikam")).Length;
        var domains = host.Get<IDomainService>();
        var countBefore = (await domains.ListAsync(user, default)).Count;

        var result = await domains.RegisterAsync(user, new DomainRegistration(user.PartnerId!.Value, "bad", "label", "bad.csv", user.Email), Csv(csv), default);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, Directory.GetFiles(AgentFolder(host, "fabrikam")).Length);
        Assert.Equal(countBefore, (await domains.ListAsync(user, default)).Count);
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    public async Task RegisterAsync_Refuses_WhenPartnerAdminRegistersForAnotherPartner(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var user = PortalHost.PartnerAdmin("contoso");
        var other = PortalHost.PartnerAdmin("northwind").PartnerId!.Value;
        var result = await host.Get<IDomainService>().RegisterAsync(user, new DomainRegistration(other, "sneaky", "label", "x.csv", user.Email), Csv("a,label\n1,x\n2,y\n"), default);

        Assert.False(result.Succeeded);
        Assert.Empty(Directory.GetFiles(AgentFolder(host, "northwind"), "*.tmp"));
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task FindAsync_ReturnsNull_WhenDomainBelongsToAnotherPartner(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var factory = host.Get<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var northwindId = PortalHost.PartnerAdmin("northwind").PartnerId;
        var northwindDomain = await db.Domains.FirstAsync(d => d.PartnerId == northwindId);
        var domains = host.Get<IDomainService>();

        Assert.Null(await domains.FindAsync(PortalHost.PartnerAdmin("contoso"), northwindDomain.Id, default));
        Assert.NotNull(await domains.FindAsync(PortalHost.PartnerAdmin("northwind"), northwindDomain.Id, default));
        Assert.NotNull(await domains.FindAsync(PortalHost.Scientist, northwindDomain.Id, default));
        Assert.All(await domains.ListAsync(PortalHost.PartnerAdmin("contoso"), default), d => Assert.Equal("Contoso Clinics", d.PartnerName));
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    public async Task SetConsentAsync_WithdrawnConsent_RefusesSimilarityAndTraining_AndOnlyOwnerMayChangeIt(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var domains = host.Get<IDomainService>();
        var jobs = host.Get<FTLPortal.Core.Jobs.IJobService>();
        var all = await domains.ListAsync(PortalHost.Scientist, default);
        var contosoDomain = all.Single(d => d.PartnerName == "Contoso Clinics");

        Assert.False(await domains.SetConsentAsync(PortalHost.PartnerAdmin("northwind"), contosoDomain.Id, new DomainConsent(false, false), default));
        Assert.False(await domains.SetConsentAsync(PortalHost.Scientist, contosoDomain.Id, new DomainConsent(false, false), default));
        Assert.True(await domains.SetConsentAsync(PortalHost.PartnerAdmin("contoso"), contosoDomain.Id, new DomainConsent(Similarity: false, Training: false), default));

        var similarity = await jobs.RequestSimilarityAsync(PortalHost.Scientist, new FTLPortal.Core.Similarity.SimilarityParameters { DomainIds = all.Select(d => d.Id).ToList() }, default);
        Assert.False(similarity.Succeeded);
        Assert.Contains("contoso-outpatients", similarity.Error, StringComparison.Ordinal);
        var pretrain = await jobs.RequestPretrainingAsync(PortalHost.Scientist, new FTLPortal.Core.Jobs.PretrainingParameters { SourceDomainId = contosoDomain.Id, ModelName = "m" }, default);
        Assert.False(pretrain.Succeeded);
        Assert.Contains("consented", pretrain.Error, StringComparison.Ordinal);

        Assert.True(await domains.SetConsentAsync(PortalHost.PartnerAdmin("contoso"), contosoDomain.Id, new DomainConsent(true, true), default));
        Assert.True((await jobs.RequestSimilarityAsync(PortalHost.Scientist, new FTLPortal.Core.Similarity.SimilarityParameters { DomainIds = all.Select(d => d.Id).ToList() }, default)).Succeeded);
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    public async Task RegisterAsync_ConsentsToNothing_UntilThePartnerAdminGrantsEachUse(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var user = PortalHost.PartnerAdmin("contoso");
        var domains = host.Get<IDomainService>();
        var jobs = host.Get<FTLPortal.Core.Jobs.IJobService>();
        var csv = "a,b,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{i % 7},{(i % 3 == 0 ? "x" : "y")}")) + "\n";
        var result = await domains.RegisterAsync(user, new DomainRegistration(user.PartnerId!.Value, "opt-in", "label", "opt-in.csv", user.Email), Csv(csv), default);
        Assert.True(result.Succeeded, result.Error);

        var stored = await domains.FindAsync(user, result.Domain!.Id, default);
        Assert.False(stored!.SimilarityConsent);
        Assert.False(stored.TrainingConsent);
        var pretrain = await jobs.RequestPretrainingAsync(PortalHost.Scientist, new FTLPortal.Core.Jobs.PretrainingParameters { SourceDomainId = stored.Id, ModelName = "m" }, default);
        Assert.False(pretrain.Succeeded);

        Assert.True(await domains.SetConsentAsync(user, stored.Id, new DomainConsent(Similarity: false, Training: true), default));
        var granted = await jobs.RequestPretrainingAsync(PortalHost.Scientist, new FTLPortal.Core.Jobs.PretrainingParameters { SourceDomainId = stored.Id, ModelName = "m", HiddenSizes = [] }, default);
        Assert.True(granted.Succeeded, granted.Error);
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task ListJobsUsingAsync_ListsTheJobsThatNamedTheDomain_OnlyToUsersWhoMaySeeIt(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var domains = host.Get<IDomainService>();
        var jobs = host.Get<FTLPortal.Core.Jobs.IJobService>();
        var all = await domains.ListAsync(PortalHost.Scientist, default);
        var contoso = all.Single(d => d.Name == "contoso-outpatients");
        var northwind = all.Single(d => d.Name == "northwind-registry");
        var similarity = await jobs.RequestSimilarityAsync(PortalHost.Scientist, new FTLPortal.Core.Similarity.SimilarityParameters { DomainIds = [contoso.Id, northwind.Id] }, default);
        var pretrain = await jobs.RequestPretrainingAsync(PortalHost.Scientist, new FTLPortal.Core.Jobs.PretrainingParameters { SourceDomainId = northwind.Id, ModelName = "audit", HiddenSizes = [4], Epochs = 1 }, default);
        Assert.True(similarity.Succeeded && pretrain.Succeeded, similarity.Error ?? pretrain.Error);

        var contosoUses = await domains.ListJobsUsingAsync(PortalHost.PartnerAdmin("contoso"), contoso.Id, default);
        var northwindUses = await domains.ListJobsUsingAsync(PortalHost.PartnerAdmin("northwind"), northwind.Id, default);

        Assert.Equal([similarity.Job!.Id], contosoUses.Select(u => u.JobId));
        Assert.Equal(new[] { similarity.Job!.Id, pretrain.Job!.Id }.Order(), northwindUses.Select(u => u.JobId).Order());
        Assert.Empty(await domains.ListJobsUsingAsync(PortalHost.PartnerAdmin("fabrikam"), Guid.NewGuid(), default));
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    public async Task ManageablePartnersAsync_GivesOwnPartnerToPartnerAdmin_AllToAdmin_NoneToScientist(PortalDatabaseProvider database)
    {
        await using var host = await PortalHost.StartAsync(database: database);
        var domains = host.Get<IDomainService>();
        var admin = new FTLPortal.Core.Security.PortalUserContext("a", "admin@ftl.local", new HashSet<string> { FTLPortal.Core.Security.PortalRoles.Admin }, null);

        Assert.Equal(["Contoso Clinics"], (await domains.ManageablePartnersAsync(PortalHost.PartnerAdmin("contoso"), default)).Select(p => p.Name));
        Assert.Equal(3, (await domains.ManageablePartnersAsync(admin, default)).Count);
        Assert.Empty(await domains.ManageablePartnersAsync(PortalHost.Scientist, default));
    }
}
