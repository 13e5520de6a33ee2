using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FTLPortal.Web.Hosting;

/// <summary>Creates the database and the demo accounts at startup when <c>Portal:SeedDemo</c> is on.</summary>
public static class DemoStartup
{
    /// <summary>
    /// Seeds the coordinator accounts and one admin per partner already in the database. The demo
    /// federation seeder, which creates the partners, calls <see cref="DemoUserSeeder"/> again with them;
    /// seeding is idempotent, so the order does not matter.
    /// </summary>
    public static async Task PrepareDemoUsersAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
            if (!services.GetRequiredService<IOptions<PortalOptions>>().Value.SeedDemo)
            {
                return;
            }

            var partners = await db.Partners.OrderBy(p => p.Slug).Select(p => new { p.Id, p.Slug, p.Name }).ToListAsync();
            var password = services.GetRequiredService<DemoPasswordStore>().Password;
            await DemoUserSeeder.SeedAsync(services, partners.Select(p => (p.Id, p.Slug, p.Name)).ToList(), password);
        }
    }
}
