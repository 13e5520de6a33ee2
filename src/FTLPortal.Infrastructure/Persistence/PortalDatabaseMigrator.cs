using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>
/// Brings the portal database to the current schema at start-up, with the migrations of its provider. A SQLite database
/// made by the earlier <c>EnsureCreated</c> start-up has the initial schema but no migrations history: it is recorded as
/// at the initial migration first, so only the later migrations run and its rows stay. A PostgreSQL database the portal
/// cannot reach stops the start with a message that says where it looked.
/// </summary>
public static class PortalDatabaseMigrator
{
    /// <summary>The migration that matches the schema <c>EnsureCreated</c> made before migrations were introduced.</summary>
    public const string BaselineMigration = "20261201204056_InitialSchema";

    public static async Task MigrateAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            await EnsureReachableAsync(db, cancellationToken);
            // EF Core reads the history before it creates it, and logs the missing table as a failed command at every
            // first start; made here first, the first start logs nothing alarming.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }
        else if (await IsUnversionedAsync(db, cancellationToken))
        {
            var history = db.GetService<IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
            var product = typeof(DbContext).Assembly.GetName().Version?.ToString(3) ?? "10.0";
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(BaselineMigration, product)), cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task EnsureReachableAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
        {
            // Npgsql's messages name the host and the failing step (refused, unknown database, authentication), never the password.
            var where = PortalDatabaseSettings.DescribePostgreSql(db.Database.GetConnectionString());
            throw new InvalidOperationException(
                $"The portal cannot reach its {where} (ConnectionStrings:{PortalDatabaseSettings.ConnectionStringName}): {ex.Message}", ex);
        }
    }

    /// <summary>True for a database that has the portal's tables but no migrations history (made by EnsureCreated).</summary>
    private static async Task<bool> IsUnversionedAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            var tables = new List<string>();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('Jobs', '__EFMigrationsHistory')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }

            return tables.Contains("Jobs") && !tables.Contains("__EFMigrationsHistory");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
