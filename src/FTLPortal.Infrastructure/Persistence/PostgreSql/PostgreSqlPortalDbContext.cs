using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The portal's model on PostgreSQL. A type of its own only so EF Core finds PostgreSQL's migrations for it (they name
/// their context type) and the SQLite migrations for <see cref="PortalDbContext"/>; the services see a PortalDbContext.
/// </summary>
internal sealed class PostgreSqlPortalDbContext(DbContextOptions<PortalDbContext> options) : PortalDbContext(options);
