using FTLPortal.Core.Jobs;
using FTLPortal.Core.Partners;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Persistence;

/// <summary>Each provider's migrations build the current model, and the model behaves the same on both.</summary>
public sealed class ProviderMigrationTests
{
    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task MigrateAsync_AppliesEveryMigrationOfTheProvider_AndLeavesNoModelChangeUnmigrated(PortalDatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Open();

        await PortalDatabaseMigrator.MigrateAsync(db);
        await PortalDatabaseMigrator.MigrateAsync(db);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        // A model change without a migration for this provider fails here (dotnet ef migrations add, once per provider).
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Theory]
    [InlineData(PortalDatabaseProvider.Sqlite)]
    [PostgreSqlData]
    public async Task SaveChanges_RoundTripsTimesAndOrdersThem_AndComparesStringsCaseSensitively(PortalDatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var at = new DateTimeOffset(2027, 1, 4, 2, 0, 0, TimeSpan.FromHours(2));
        await using (var db = database.Open())
        {
            await PortalDatabaseMigrator.MigrateAsync(db);
            db.Partners.Add(new Partner { Name = "Contoso Clinics", Slug = "contoso" });
            // Another slug in upper case is another partner on both databases (the unique index is case-sensitive).
            db.Partners.Add(new Partner { Name = "CONTOSO", Slug = "CONTOSO" });
            db.Jobs.Add(new PortalJob { Name = "later", ParametersJson = "{\"DomainIds\":[\"ab\"]}", ScheduledFor = at, CreatedAt = at });
            db.Jobs.Add(new PortalJob { Name = "earlier", ParametersJson = "{}", CreatedAt = at.AddMinutes(-1) });
            db.RecurringSchedules.Add(new RecurringSchedule { Name = "weekly", ParametersJson = "{}", Cron = "0 2 * * 1", TimeZoneId = "Europe/Berlin" });
            await db.SaveChangesAsync();
        }

        await using var check = database.Open();
        var later = await check.Jobs.SingleAsync(j => j.Name == "later");
        Assert.Equal(at, later.ScheduledFor);
        Assert.Equal(TimeSpan.Zero, later.ScheduledFor!.Value.Offset);
        Assert.Equal(["later", "earlier"], await check.Jobs.OrderByDescending(j => j.CreatedAt).Select(j => j.Name).ToListAsync());
        Assert.Equal(["contoso"], await check.Partners.Where(p => p.Slug == "contoso").Select(p => p.Slug).ToListAsync());
        Assert.Equal(["later"], await check.Jobs.Where(j => j.ParametersJson.Contains("\"ab\"")).Select(j => j.Name).ToListAsync());
        Assert.Empty(await check.Jobs.Where(j => j.ParametersJson.Contains("\"AB\"")).ToListAsync());
        Assert.Equal("Europe/Berlin", (await check.RecurringSchedules.SingleAsync()).TimeZoneId);
    }
}
