using FTLPortal.Core.Jobs;
using FTLPortal.Infrastructure.Hosting;
using Hangfire;
using FTLPortal.Infrastructure.Persistence;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>
/// Hangfire with one server in this process: for the embedded default on SQLite storage in its own file in the data
/// folder; with the PostgreSQL provider in its own schema of the portal's database.
/// </summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>How often an idle server looks for new work: a job requested on an idle portal starts within this (the storage's default is 15 s).</summary>
    internal static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a stopping server waits for running steps before handing them back to their queues.</summary>
    internal static readonly TimeSpan ServerShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Hangfire's tables on PostgreSQL: a schema of their own beside the portal's in the same database.</summary>
    internal const string PostgreSqlSchema = "hangfire";

    public static IServiceCollection AddPortalScheduling(this IServiceCollection services, PortalPaths paths, PortalDatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(database);

        // Our own storage instance and filter provider, registered before AddHangfire so it uses them instead of the
        // static JobStorage.Current and global filters: test hosts run side by side in one process.
        services.AddSingleton<HangfireLogBridge>();
        services.AddSingleton<JobStorage>(sp =>
        {
            // The bridge first: the storage logs as it opens.
            sp.GetRequiredService<HangfireLogBridge>();
            return database.IsPostgreSql ? PostgreSqlStorageFor(database.PostgreSqlConnectionString!) : SQLiteStorageFor(paths);
        });
        services.AddSingleton<PortalJobFilter>();
        services.AddSingleton<PortalJobFilterProvider>();
        services.AddSingleton<IJobFilterProvider>(sp => sp.GetRequiredService<PortalJobFilterProvider>());
        services.AddHangfire((sp, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogBridge.Provider)
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        HangfireDashboardEndpoints.RegisterJobLinkOnce();

        services.AddSingleton<HangfireJobScheduler>();
        services.AddSingleton<IJobScheduler>(sp => sp.GetRequiredService<HangfireJobScheduler>());
        services.AddTransient<PortalHangfireJobs>();

        // Before the server, so dead processes' steps are back in their queues when it starts fetching.
        services.AddSingleton<StuckJobReconciler>();
        services.AddHostedService<HangfireStartupRecovery>();
        services.AddHostedService<StuckJobReconcilerService>();
        services.AddHangfireServer((sp, options) =>
        {
            options.Queues = PortalQueues.All;
            options.WorkerCount = 4;
            // A job scheduled for a time starts within a second of it; a cancel or a shutdown reaches a step within a second.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            options.CancellationCheckInterval = TimeSpan.FromSeconds(1);
            options.ShutdownTimeout = ServerShutdownTimeout;
            options.FilterProvider = sp.GetRequiredService<IJobFilterProvider>();
        });
        // Above Hangfire's own shutdown timeout, so the host does not cut the server off while it hands steps back.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ServerShutdownTimeout + TimeSpan.FromSeconds(20));
        return services;
    }

    private static SQLiteStorage SQLiteStorageFor(PortalPaths paths) => new(
        paths.SchedulerDatabaseFile,
        new SQLiteStorageOptions
        {
            QueuePollInterval = QueuePollInterval,
            // The default, stated: no step may run longer (see FineTuningJobHandler.ClientTimeout).
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
        });

    private static PostgreSqlStorage PostgreSqlStorageFor(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = PostgreSqlSchema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = QueuePollInterval,
            // Dequeues take FOR UPDATE SKIP LOCKED, so several nodes may share the storage; a running step's queue row is
            // kept fetched by its worker's heartbeat, and a dead node's steps are fetched again after this.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
