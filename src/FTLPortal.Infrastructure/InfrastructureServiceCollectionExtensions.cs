using FTLPortal.Core.Administration;
using FTLPortal.Core.Agents;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Operations;
using FTLPortal.Core.Security;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Administration;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.BaseModels;
using FTLPortal.Infrastructure.Domains;
using FTLPortal.Infrastructure.Engines;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Infrastructure.Identity;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Infrastructure.ModelCards;
using FTLPortal.Infrastructure.Operations;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Scheduling;
using FTLPortal.Infrastructure.Similarity;
using FTLPortal.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FTLPortal.Infrastructure;

/// <summary>Registers everything the portal needs behind Core's interfaces (embedded default: SQLite, in-process agents; or PostgreSQL).</summary>
public static class InfrastructureServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // First: a wrong database setting stops the start before anything is created on disk.
        var database = PortalDatabaseSettings.FromConfiguration(builder.Configuration);
        var section = builder.Configuration.GetSection(PortalOptions.SectionName);
        var options = section.Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
        PrivateDataFiles.CreateFolder(dataDirectory);
        var paths = new PortalPaths(dataDirectory);
        PrivateDataFiles.CreateFolder(paths.AgentsDirectory);
        PrivateDataFiles.CreateFolder(paths.ArtifactsDirectory, narrowExisting: true);
        PrivateDataFiles.CreateFolder(Path.Combine(dataDirectory, "keys"));
        if (!database.IsPostgreSql)
        {
            if (options.ConnectionString is null)
            {
                PrivateDataFiles.CreateEmptyFile(paths.DatabaseFile);
            }

            PrivateDataFiles.CreateEmptyFile(paths.SchedulerDatabaseFile);
        }

        // A generous busy timeout: pages, steps and the cancel watcher write to the one SQLite file.
        var connectionString = options.ConnectionString ?? $"Data Source={paths.DatabaseFile};Default Timeout=30";

        var services = builder.Services;
        services.Configure<PortalOptions>(section);
        services.AddSingleton(paths);
        services.AddSingleton(sp => new DomainUploadLimits(sp.GetRequiredService<IOptions<PortalOptions>>().Value.MaxUploadBytes));
        services.AddSingleton(sp => new BaseModelImportLimits(sp.GetRequiredService<IOptions<PortalOptions>>().Value.MaxModelImportBytes));
        services.AddPortalDatabase(database, connectionString);

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
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();
        services.AddScoped<PortalUserAccess>();
        services.AddScoped<IPasswordSignIn, IdentityPasswordSignIn>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SignInThrottle>();
        services.AddHttpContextAccessor();

        // Keys in the data folder: sign-in cookies survive a restart of the embedded default.
        services.AddDataProtection()
            .SetApplicationName("FTLPortal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IArtifactStore, FileSystemArtifactStore>();
        services.AddSingleton<CappedInsert>();
        services.AddSingleton<IJobNotifier, InProcessJobNotifier>();
        services.AddSingleton<AgentHealthLog>();
        // Engine plug-ins load once, here, so what they bring besides engines can be registered too.
        var engineOptions = builder.Configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        var plugins = PortalEngines.LoadPlugins(engineOptions);
        services.AddSingleton(sp => new PortalEngines(plugins, engineOptions, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<PortalEngines>>()));
        services.AddSingleton<IEngineChoices, PortalEngineChoices>();
        services.AddSingleton(sp => sp.GetRequiredService<PortalEngines>().Catalog);
        services.AddSingleton<RemoteAgentConnections>();
        services.AddSingleton<AgentKeyService>();
        services.AddSingleton<IAgentKeyService>(sp => sp.GetRequiredService<AgentKeyService>());
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<IOpsOverview, OpsOverview>();
        services.AddSingleton<IPortalAdministration, PortalAdministration>();
        services.AddSingleton<IDomainService, DomainService>();
        services.AddSingleton<IJobService>(sp => sp.GetRequiredService<JobService>());
        services.AddSingleton<IBaseModelService, BaseModelService>();
        // State_dict readers come only from engine plug-ins (TorchSharp.PyBridge); without one a state_dict import is refused.
        foreach (var reader in plugins.OfType<FTLPortal.Learning.Models.IStateDictReader>())
        {
            services.AddSingleton(reader);
        }

        services.AddSingleton<IBaseModelImportService, BaseModelImportService>();
        services.AddSingleton<IModelCardService, ModelCardService>();
        services.AddSingleton<FTLPortal.Core.Jobs.Evaluation.IJobEvaluationService, JobEvaluationService>();
        services.AddSingleton<JobService>();
        services.AddSingleton<IPortalJobHandler, SimilarityJobHandler>();
        services.AddSingleton<IPortalJobHandler, PretrainingJobHandler>();
        services.AddSingleton<FineTuningJobHandler>();
        services.AddSingleton<PortalJobRunner>();
        services.Configure<JobReliabilityOptions>(builder.Configuration.GetSection(JobReliabilityOptions.SectionName));
        services.AddPortalScheduling(paths, database);

        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        return builder;
    }
}
