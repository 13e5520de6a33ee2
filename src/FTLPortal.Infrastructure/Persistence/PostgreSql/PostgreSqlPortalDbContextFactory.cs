using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Persistence.PostgreSql;

/// <summary>Hands out <see cref="PostgreSqlPortalDbContext"/> wherever the services ask for a PortalDbContext (options configured as for SQLite).</summary>
internal sealed class PostgreSqlPortalDbContextFactory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => new PostgreSqlPortalDbContext(options);
}
