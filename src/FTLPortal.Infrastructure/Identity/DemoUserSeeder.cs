using FTLPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Infrastructure.Identity;

/// <summary>Creates the portal's roles and the demo accounts; safe to run on every start.</summary>
public static class DemoUserSeeder
{
    public const string EmailDomain = "ftl.local";

    /// <summary>The demo accounts for the given partners: three coordinator users and one admin per partner.</summary>
    public static IReadOnlyList<DemoUser> UsersFor(IReadOnlyList<(Guid PartnerId, string Slug, string Name)> partners)
    {
        ArgumentNullException.ThrowIfNull(partners);
        var users = new List<DemoUser>
        {
            new($"admin@{EmailDomain}", "Portal Admin", PortalRoles.Admin, null),
            new($"ops@{EmailDomain}", "Ops Operator", PortalRoles.Ops, null),
            new($"scientist@{EmailDomain}", "Data Scientist", PortalRoles.DataScientist, null),
        };
        users.AddRange(partners.Select(p => new DemoUser($"{p.Slug}-admin@{EmailDomain}", $"{p.Name} Admin", PortalRoles.PartnerAdmin, p.PartnerId)));
        return users;
    }

    /// <summary>Creates missing roles and users. Existing users keep their password, roles are added if missing.</summary>
    /// <param name="services">A scope's provider (UserManager and RoleManager are scoped).</param>
    public static async Task SeedAsync(IServiceProvider services, IReadOnlyList<(Guid PartnerId, string Slug, string Name)> partners, string password)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(password);
        var roleManager = services.GetRequiredService<RoleManager<IdentityRole>>();
        var userManager = services.GetRequiredService<UserManager<PortalUser>>();

        foreach (var role in PortalRoles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                Check(await roleManager.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }

        foreach (var demo in UsersFor(partners))
        {
            var user = await userManager.FindByEmailAsync(demo.Email);
            if (user is null)
            {
                user = new PortalUser
                {
                    UserName = demo.Email,
                    Email = demo.Email,
                    EmailConfirmed = true,
                    DisplayName = demo.DisplayName,
                    PartnerId = demo.PartnerId,
                };
                Check(await userManager.CreateAsync(user, password), demo.Email);
            }

            if (!await userManager.IsInRoleAsync(user, demo.Role))
            {
                Check(await userManager.AddToRoleAsync(user, demo.Role), $"{demo.Email} in {demo.Role}");
            }
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not seed {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
