using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>For <c>dotnet ef migrations add</c>: the SQLite model without the host (the connection is never opened to add a migration).</summary>
internal sealed class PortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
