using Microsoft.Extensions.Configuration;
using Npgsql;

namespace FTLPortal.Infrastructure.Persistence;

/// <summary>
/// The database the portal runs on, read once at start-up from <c>Portal:Database:Provider</c> (Sqlite by default) and,
/// for PostgreSQL, <c>ConnectionStrings:Portal</c>. A wrong value stops the start with a message that names the key.
/// </summary>
public sealed record PortalDatabaseSettings(PortalDatabaseProvider Provider, string? PostgreSqlConnectionString)
{
    public const string ProviderKey = "Portal:Database:Provider";

    /// <summary>The name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "Portal";

    public static PortalDatabaseSettings Sqlite { get; } = new(PortalDatabaseProvider.Sqlite, null);

    public bool IsPostgreSql => Provider == PortalDatabaseProvider.PostgreSql;

    public static PortalDatabaseSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[ProviderKey]?.Trim();
        if (string.IsNullOrEmpty(text) || string.Equals(text, nameof(PortalDatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite;
        }

        if (!string.Equals(text, nameof(PortalDatabaseProvider.PostgreSql), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ProviderKey} is '{text}', which is no database the portal knows: use Sqlite (the default) or PostgreSql.");
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ProviderKey} is PostgreSql but ConnectionStrings:{ConnectionStringName} is not set; give it, e.g. \"Host=db.example.org;Port=5432;Database=ftlportal;Username=ftlportal;Password=…\".");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The parser's message names the bad keyword, never the password's value.
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a PostgreSQL connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(parsed.Host) || string.IsNullOrWhiteSpace(parsed.Database))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} must name the server (Host=…) and the database (Database=…).");
        }

        return new PortalDatabaseSettings(PortalDatabaseProvider.PostgreSql, connectionString);
    }

    /// <summary>Where a PostgreSQL database is, for messages (no user name, no password).</summary>
    public static string DescribePostgreSql(string? connectionString)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database '{parsed.Database}' on {parsed.Host}:{parsed.Port}";
    }
}
