using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Persistence.PostgreSql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Tests.Databases;

/// <summary>An empty portal database of either provider, for tests that open contexts without a host; deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name;

    private TestDatabase(PortalDatabaseProvider provider, string name, string connectionString)
    {
        Provider = provider;
        _name = name;
        ConnectionString = connectionString;
    }

    public PortalDatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(PortalDatabaseProvider provider)
    {
        var name = "ftl_test_" + Guid.NewGuid().ToString("N");
        if (provider == PortalDatabaseProvider.PostgreSql)
        {
            return new TestDatabase(provider, name, await PostgreSqlTestServer.CreateDatabaseAsync(name));
        }

        return new TestDatabase(provider, Path.Combine(Path.GetTempPath(), name + ".db"), $"Data Source={Path.Combine(Path.GetTempPath(), name + ".db")}");
    }

    /// <summary>A context as the portal makes it for this provider (PostgreSQL's subclass carries its migrations).</summary>
    public PortalDbContext Open()
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        return Provider == PortalDatabaseProvider.PostgreSql
            ? new PostgreSqlPortalDbContext(builder.UseNpgsql(ConnectionString).Options)
            : new PortalDbContext(builder.UseSqlite(ConnectionString).Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == PortalDatabaseProvider.PostgreSql)
        {
            await PostgreSqlTestServer.DropDatabaseAsync(_name);
        }
        else
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_name);
        }
    }
}
