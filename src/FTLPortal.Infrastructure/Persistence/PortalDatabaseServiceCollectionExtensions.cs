using FTLPortal.Infrastructure.Persistence.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>The portal's <see cref="PortalDbContext"/> on the configured provider.</summary>
internal static class PortalDatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, PortalDatabaseSettings database, string sqliteConnectionString)
    {
        services.AddSingleton(database);
        if (database.IsPostgreSql)
        {
            // No retrying execution strategy: it refuses user transactions, which the capped inserts and round steps use.
            services.AddDbContextFactory<PortalDbContext, PostgreSqlPortalDbContextFactory>(o => o.UseNpgsql(database.PostgreSqlConnectionString));
        }
        else
        {
            services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(sqliteConnectionString));
        }

        return services;
    }
}
