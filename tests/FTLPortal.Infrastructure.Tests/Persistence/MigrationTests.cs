using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Persistence;

public sealed class MigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ftl-migrations-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task MigrateAsync_CreatesTheCurrentSchema_FromAnEmptyDatabase()
    {
        await using (var db = Open())
        {
            await PortalDatabaseMigrator.MigrateAsync(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            // Every migration of the assembly, once (a new migration needs no edit here).
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            var at = new DateTimeOffset(2027, 1, 4, 2, 0, 0, TimeSpan.Zero);
            db.Jobs.Add(new PortalJob { Name = "scheduled", ParametersJson = "{}", ScheduledFor = at });
            db.RecurringSchedules.Add(new RecurringSchedule { Name = "weekly", ParametersJson = "{}", Cron = "0 2 * * 1" });
            await db.SaveChangesAsync();
        }

        await using var check = Open();
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 2, 0, 0, TimeSpan.Zero), (await check.Jobs.SingleAsync()).ScheduledFor);
        Assert.Equal("0 2 * * 1", (await check.RecurringSchedules.SingleAsync()).Cron);
    }

    [Fact]
    public async Task MigrateAsync_KeepsRowsAndAddsSchedulingColumns_FromTheEnsureCreatedSchema()
    {
        var partnerId = Guid.NewGuid();
        var jobId = Guid.NewGuid();
        var createdAt = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        await using (var connection = new SqliteConnection($"Data Source={_file}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The schema the previous start-up's EnsureCreated made, and rows in it.
            command.CommandText = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Persistence", "schema-before-migrations.sql"));
            await command.ExecuteNonQueryAsync();
            command.CommandText = $$"""
                INSERT INTO Partners (Id, Name, Slug, CreatedAt) VALUES ('{{partnerId.ToString().ToUpperInvariant()}}', 'Contoso Clinics', 'contoso', {{createdAt.UtcTicks}});
                INSERT INTO Jobs (Id, Kind, Name, Status, Progress, ParametersJson, CurrentRound, TotalRounds, Attempts, InvolvedPartners, CreatedBy, CreatedAt)
                VALUES ('{{jobId.ToString().ToUpperInvariant()}}', 'FineTuning', 'clinics v2', 'Completed', 1.0, '{}', 10, 10, 1, '{{partnerId}}', 'scientist@ftl.local', {{createdAt.UtcTicks}});
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using (var db = Open())
        {
            await PortalDatabaseMigrator.MigrateAsync(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var check = Open();
        var job = await check.Jobs.SingleAsync();
        Assert.Equal((jobId, "clinics v2", JobStatus.Completed, 10, createdAt), (job.Id, job.Name, job.Status, job.CurrentRound, job.CreatedAt));
        Assert.Null(job.ScheduledFor);
        Assert.Equal("Contoso Clinics", (await check.Partners.SingleAsync()).Name);
        Assert.Empty(await check.RecurringSchedules.ToListAsync());
        Assert.Equal(0, await check.Jobs.Select(j => EF.Property<int>(j, "QueuedStep")).SingleAsync());
    }

    [Fact]
    public async Task MigrateAsync_DoesNothing_WhenRunTwice()
    {
        await using var db = Open();
        await PortalDatabaseMigrator.MigrateAsync(db);
        await PortalDatabaseMigrator.MigrateAsync(db);
        // Every migration of the assembly, once (a new migration needs no edit here).
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    private PortalDbContext Open() => new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={_file}").Options);
}
