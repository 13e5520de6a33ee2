using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FTLPortal.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// For <c>dotnet ef migrations add X --context PostgreSqlPortalDbContext --output-dir Persistence/PostgreSql/Migrations</c>:
/// the PostgreSQL model without the host (adding a migration never opens the connection).
/// </summary>
internal sealed class PostgreSqlPortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
