using System.Net;
using System.Net.Sockets;
using FTLPortal.Infrastructure.Persistence;
using FTLPortal.Infrastructure.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FTLPortal.Infrastructure.Tests.Persistence;

/// <summary>The database settings: a wrong value stops the start with a message naming the key, and nothing is created.</summary>
public sealed class PortalDatabaseSettingsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ftl-settings-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static IConfiguration Configuration(string? provider, string? connectionString = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PortalDatabaseSettings.ProviderKey] = provider,
            ["ConnectionStrings:Portal"] = connectionString,
        }).Build();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sqlite")]
    public void FromConfiguration_GivesSqlite_WhenProviderIsUnsetOrSqlite(string? provider)
    {
        var settings = PortalDatabaseSettings.FromConfiguration(Configuration(provider, "Host=ignored;Database=x"));

        Assert.Equal(PortalDatabaseProvider.Sqlite, settings.Provider);
        Assert.Null(settings.PostgreSqlConnectionString);
    }

    [Fact]
    public void FromConfiguration_GivesPostgreSql_WhenProviderAndConnectionStringAreSet()
    {
        var settings = PortalDatabaseSettings.FromConfiguration(Configuration("PostgreSql", "Host=db.example.org;Database=ftlportal;Username=ftl;Password=secret"));

        Assert.Equal(PortalDatabaseProvider.PostgreSql, settings.Provider);
        Assert.Equal("Host=db.example.org;Database=ftlportal;Username=ftl;Password=secret", settings.PostgreSqlConnectionString);
    }

    [Theory]
    [InlineData("Oracle", null, "Portal:Database:Provider is 'Oracle', which is no database the portal knows: use Sqlite (the default) or PostgreSql.")]
    [InlineData("1", null, "Portal:Database:Provider is '1'")]
    [InlineData("PostgreSql", null, "ConnectionStrings:Portal is not set")]
    [InlineData("PostgreSql", "  ", "ConnectionStrings:Portal is not set")]
    [InlineData("PostgreSql", "Host=db;Database=ftl;Password=hunter2;Colour=blue", "ConnectionStrings:Portal is not a PostgreSQL connection string")]
    [InlineData("PostgreSql", "Username=ftl;Password=hunter2", "must name the server (Host=…) and the database (Database=…)")]
    public void FromConfiguration_RefusesWithTheKeyInTheMessage_WhenTheSettingIsWrong(string provider, string? connectionString, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PortalDatabaseSettings.FromConfiguration(Configuration(provider, connectionString)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInfrastructure_CreatesNothing_WhenTheProviderIsUnknown()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = _dataDirectory,
            [PortalDatabaseSettings.ProviderKey] = "MySql",
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddInfrastructure());

        Assert.Contains("'MySql'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataDirectory));
    }

    [Fact]
    public async Task InitializeAsync_StopsWithWhereItLooked_WhenNoPostgreSqlServerListens()
    {
        // A loopback port nobody listens on: a real connection attempt, refused at once.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = _dataDirectory,
            [PortalDatabaseSettings.ProviderKey] = "PostgreSql",
            ["ConnectionStrings:Portal"] = $"Host=127.0.0.1;Port={port};Database=ftlportal;Username=ftl;Password=hunter2;Timeout=5",
        });
        builder.AddInfrastructure();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DemoFederationSeeder.InitializeAsync(host.Services));

        Assert.StartsWith($"The portal cannot reach its PostgreSQL database 'ftlportal' on 127.0.0.1:{port} (ConnectionStrings:Portal): ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "portal.db")));
    }
}
