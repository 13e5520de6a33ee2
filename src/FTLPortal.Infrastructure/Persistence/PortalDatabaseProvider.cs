namespace FTLPortal.Infrastructure.Persistence;

/// <summary>Which database holds the portal's data and Hangfire's (<c>Portal:Database:Provider</c>).</summary>
public enum PortalDatabaseProvider
{
    /// <summary>The embedded default: a file in the data folder, Hangfire in a second file.</summary>
    Sqlite,

    /// <summary>Distributed mode: the portal's tables and Hangfire's schema in one PostgreSQL database (<c>ConnectionStrings:Portal</c>).</summary>
    PostgreSql,
}
