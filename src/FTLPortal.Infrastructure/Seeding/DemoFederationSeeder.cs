using FTLPortal.Core.Domains;
using FTLPortal.Core.Partners;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Learning.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure.Seeding;

/// <summary>
/// First start of the embedded default: three partners, their users and synthetic domains with known shifts, registered
/// through the partners' own agents exactly as an upload would be.
/// </summary>
public static class DemoFederationSeeder
{
    internal static IReadOnlyList<Partner> Partners { get; } =
    [
        new() { Id = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a01"), Name = "Northwind Health", Slug = "northwind" },
        new() { Id = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a02"), Name = "Contoso Clinics", Slug = "contoso" },
        new() { Id = Guid.Parse("5d0c8a4e-1f0b-4b39-9a59-0a1c6e0b7a03"), Name = "Fabrikam Labs", Slug = "fabrikam" },
    ];

    /// <summary>
    /// The source domain is large and unshifted; the targets are small with a covariate shift, and a label plus concept shift.
    /// The concept shift (class centres rotated 2π/3) is strong enough that federating with the others hurts fabrikam: the
    /// demo shows the negative-transfer flag and what the optional reaction to it does (at 0.6 rad it was never flagged).
    /// </summary>
    internal static IReadOnlyList<DemoDomain> Domains { get; } =
    [
        new("northwind", "northwind-registry", new SyntheticDomainOptions { Rows = 3000, Seed = 101, Noise = 1.2 }),
        new("contoso", "contoso-outpatients", new SyntheticDomainOptions { Rows = 400, Seed = 202, Noise = 1.2, CovariateShift = 1.0 }),
        new("fabrikam", "fabrikam-screening", new SyntheticDomainOptions { Rows = 400, Seed = 303, Noise = 1.2, LabelShift = 0.5, ConceptShift = 2 * Math.PI / 3 }),
    ];

    /// <summary>Migrates the database and, when enabled and not done yet, seeds the demo federation.</summary>
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        var dbFactory = sp.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await PortalDatabaseMigrator.MigrateAsync(db, cancellationToken);
            if (db.Database.IsSqlite())
            {
                // WAL lets page reads go on while a job writes its rounds.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        var options = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
        if (!options.SeedDemo)
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var partner in Partners)
            {
                if (!await db.Partners.AnyAsync(p => p.Id == partner.Id, cancellationToken))
                {
                    db.Partners.Add(new Partner { Id = partner.Id, Name = partner.Name, Slug = partner.Slug });
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        var password = ActivatorUtilities.GetServiceOrCreateInstance<DemoPasswordStore>(sp).Password;
        await DemoUserSeeder.SeedAsync(sp, Partners.Select(p => (p.Id, p.Slug, p.Name)).ToList(), password);

        var domains = sp.GetRequiredService<IDomainService>();
        var agents = sp.GetRequiredService<Agents.AgentDirectory>();
        var system = new PortalUserContext("system", "system@ftl.local", new HashSet<string> { PortalRoles.Admin }, null);
        foreach (var demo in Domains)
        {
            var partner = Partners.Single(p => p.Slug == demo.PartnerSlug);
            if (agents.ModeOf(partner.Slug) == Agents.AgentMode.Remote)
            {
                // A partner's own agent holds its own data: its admin registers domains once the agent is connected.
                continue;
            }

            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                if (await db.Domains.AnyAsync(d => d.PartnerId == partner.Id && d.Name == demo.Name, cancellationToken))
                {
                    continue;
                }
            }

            using var csv = new MemoryStream();
            CsvDatasetWriter.Write(SyntheticDomains.Generate(demo.Options), csv);
            csv.Position = 0;
            var result = await domains.RegisterAsync(system, new DomainRegistration(partner.Id, demo.Name, "label", demo.Name + ".csv", "demo seed"), csv, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Seeding the demo domain '{demo.Name}' failed: {result.Error}");
            }

            // Consent is opt-in; the demo federation's partners have granted both uses of their synthetic domains.
            await domains.SetConsentAsync(system, result.Domain!.Id, new DomainConsent(Similarity: true, Training: true), cancellationToken);
        }
    }
}
