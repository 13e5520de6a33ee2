using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.BaseModels;
using FTLPortal.Infrastructure.Domains;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.ModelCards;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Similarity;
using FTLPortal.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace FTLPortal.Infrastructure;

/// <summary>Registers everything the portal needs behind Core's interfaces (embedded default: SQLite, in-process agents).</summary>
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
        // A generous busy timeout: EF and Quartz share the one SQLite file.
        var connectionString = options.ConnectionString ?? $"Data Source={paths.DatabaseFile};Default Timeout=30";

        var services = builder.Services;
        services.Configure<PortalOptions>(section);
        services.AddSingleton(paths);
        services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connectionString));

        services
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

        // Keys in the data folder: sign-in cookies survive a restart of the embedded default.
        services.AddDataProtection()
            .SetApplicationName("FTLPortal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

        services.AddSingleton<IArtifactStore, FileSystemArtifactStore>();
        services.AddSingleton<IJobNotifier, InProcessJobNotifier>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<IDomainService, DomainService>();
        services.AddSingleton<IJobService, JobService>();
        services.AddSingleton<IBaseModelService, BaseModelService>();
        services.AddSingleton<IModelCardService, ModelCardService>();
        services.AddSingleton<QuartzJobScheduler>();
        services.AddSingleton<IJobScheduler>(sp => sp.GetRequiredService<QuartzJobScheduler>());
        services.AddSingleton<JobCancellationRequests>();
        services.AddSingleton<IPortalJobHandler, SimilarityJobHandler>();
        services.AddSingleton<IPortalJobHandler, PretrainingJobHandler>();
        services.AddSingleton<IPortalJobHandler, FineTuningJobHandler>();

        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 4);
            q.UsePersistentStore(s =>
            {
                s.UseSqlite(connectionString);
                s.UseSystemTextJsonSerializer();
                s.ProvisionSchema();
            });
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        // After Quartz's hosted service, so the scheduler is up when unfinished jobs are handed back to it.
        services.AddHostedService<JobRecoveryService>();

        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        return builder;
    }
}
