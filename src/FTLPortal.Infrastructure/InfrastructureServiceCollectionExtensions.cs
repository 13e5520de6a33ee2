using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FTLPortal.Infrastructure;

/// <summary>Registers everything the portal needs behind Core's interfaces.</summary>
public static class InfrastructureServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(PortalOptions.SectionName);
        var options = section.Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);
        var paths = new PortalPaths(dataDirectory);
        var connectionString = options.ConnectionString ?? $"Data Source={paths.DatabaseFile}";

        builder.Services.Configure<PortalOptions>(section);
        builder.Services.AddSingleton(paths);
        builder.Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connectionString));

        builder.Services
            .AddIdentityCore<PortalUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        return builder;
    }
}
