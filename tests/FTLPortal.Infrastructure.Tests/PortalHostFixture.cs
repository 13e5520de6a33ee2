using FTLPortal.Core.Jobs;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Tests.Databases;
using FTLPortal.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>
/// A real host in a temporary folder, seeded with the demo federation: the embedded default (SQLite file, Hangfire on its
/// own SQLite file, in-process agents), or the same on PostgreSQL (a database of its own on the test run's server, with
/// Hangfire's schema in it).
/// </summary>
public sealed class PortalHost : IAsyncDisposable
{
    private PortalHost(IHost host, string dataDirectory, string? postgreSqlDatabase)
    {
        Host = host;
        DataDirectory = dataDirectory;
        _postgreSqlDatabase = postgreSqlDatabase;
    }

    private readonly string? _postgreSqlDatabase;

    public IHost Host { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => Host.Services;

    public static PortalUserContext Scientist { get; } = new("scientist", "scientist@ftl.local", new HashSet<string> { PortalRoles.DataScientist }, null);

    public static PortalUserContext PartnerAdmin(string slug) =>
        new($"{slug}-admin", $"{slug}-admin@ftl.local", new HashSet<string> { PortalRoles.PartnerAdmin }, DemoFederationSeeder.Partners.Single(p => p.Slug == slug).Id);

    public static async Task<PortalHost> StartAsync(string? dataDirectory = null, bool seed = true, Action<IServiceCollection>? configure = null, PortalDatabaseProvider database = PortalDatabaseProvider.Sqlite)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "ftl-infra-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:SeedDemo"] = seed ? "true" : "false",
            ["Demo:Password"] = "Test-Password-123",
        };
        string? postgreSqlDatabase = null;
        if (database == PortalDatabaseProvider.PostgreSql)
        {
            postgreSqlDatabase = PostgreSqlDatabaseOf(dataDirectory);
            settings[PortalDatabaseSettings.ProviderKey] = nameof(PortalDatabaseProvider.PostgreSql);
            settings["ConnectionStrings:" + PortalDatabaseSettings.ConnectionStringName] = await PostgreSqlTestServer.CreateDatabaseAsync(postgreSqlDatabase);
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddInfrastructure();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await DemoFederationSeeder.InitializeAsync(host.Services);
        await host.StartAsync();
        return new PortalHost(host, dataDirectory, postgreSqlDatabase);
    }

    /// <summary>Named after the data folder, so a host restarted on the same folder finds its database again.</summary>
    private static string PostgreSqlDatabaseOf(string dataDirectory) =>
        "ftl_" + Path.GetFileName(Path.TrimEndingDirectorySeparator(dataDirectory)).Replace('-', '_');

    /// <summary>The database of a host stopped with <see cref="StopKeepingDataAsync"/>, read without starting one.</summary>
    public static async Task<PortalDbContext> OpenStoppedHostDatabaseAsync(string dataDirectory, PortalDatabaseProvider database)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        return database == PortalDatabaseProvider.PostgreSql
            ? new FTLPortal.Infrastructure.Persistence.PostgreSql.PostgreSqlPortalDbContext(options.UseNpgsql(await PostgreSqlTestServer.CreateDatabaseAsync(PostgreSqlDatabaseOf(dataDirectory))).Options)
            : new PortalDbContext(options.UseSqlite($"Data Source={Path.Combine(dataDirectory, "portal.db")}").Options);
    }

    /// <summary>Wraps every demo partner's agent so local training takes at least <paramref name="delay"/>.</summary>
    public void SlowDownLocalTraining(TimeSpan delay)
    {
        var agents = Get<FTLPortal.Infrastructure.Agents.AgentDirectory>();
        foreach (var partner in DemoFederationSeeder.Partners)
        {
            agents.Replace(partner.Id, new SlowAgent(agents.For(partner.Id, partner.Slug), delay));
        }
    }

    /// <summary>Pre-trains a small base model on a domain and returns it once the job has completed.</summary>
    public async Task<FTLPortal.Core.BaseModels.BaseModel> PretrainAsync(Guid sourceDomainId, int hiddenSize, int epochs)
    {
        var request = await Get<IJobService>().RequestPretrainingAsync(Scientist, new PretrainingParameters { SourceDomainId = sourceDomainId, ModelName = "m", HiddenSizes = [hiddenSize], Epochs = epochs }, default);
        var job = await WaitForAsync(request.Job!.Id);
        Assert.Equal(JobStatus.Completed, job.Status);
        var models = await Get<FTLPortal.Core.BaseModels.IBaseModelService>().ListAsync(Scientist, default);
        return models.First(m => m.PretrainingJobId == job.Id);
    }

    /// <summary>Registers <paramref name="data"/> as a partner's domain with both consents given, as the demo seeder does; returns its id.</summary>
    public async Task<Guid> RegisterDomainAsync(Guid partnerId, string name, FTLPortal.Learning.Data.TabularDataset data)
    {
        using var csv = new MemoryStream();
        FTLPortal.Learning.Data.CsvDatasetWriter.Write(data, csv);
        csv.Position = 0;
        var admin = new PortalUserContext("system", "system@ftl.local", new HashSet<string> { PortalRoles.Admin }, null);
        var domains = Get<FTLPortal.Core.Domains.IDomainService>();
        var result = await domains.RegisterAsync(admin, new FTLPortal.Core.Domains.DomainRegistration(partnerId, name, "label", name + ".csv", "test"), csv, default);
        Assert.True(result.Succeeded, result.Error);
        await domains.SetConsentAsync(admin, result.Domain!.Id, new FTLPortal.Core.Domains.DomainConsent(Similarity: true, Training: true), default);
        return result.Domain.Id;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<PortalJob> WaitForAsync(Guid jobId, Func<PortalJob, bool>? until = null)
    {
        until ??= j => j.IsFinished;
        var factory = Get<IDbContextFactory<PortalDbContext>>();
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        PortalJob? last = null;
        for (var i = 0; i < 1200; i++)
        {
            await using var db = await factory.CreateDbContextAsync();
            last = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
            if (until(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {jobId} did not reach the expected state; it is {last?.Status} at round {last?.CurrentRound}: {last?.ProgressMessage} {last?.Error}");
    }

    /// <summary>Stops the node as a shutdown would, keeping its data folder for a restart.</summary>
    public async Task StopKeepingDataAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        _stopped = true;
    }

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopKeepingDataAsync();
        }

        if (_postgreSqlDatabase is not null)
        {
            await PostgreSqlTestServer.DropDatabaseAsync(_postgreSqlDatabase);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background write; the temp folder is disposable anyway.
        }
    }
}
