namespace FTLPortal.Infrastructure.Hosting;

/// <summary>Resolved folders of the embedded default, all under one data directory.</summary>
public sealed class PortalPaths(string dataDirectory)
{
    public string DataDirectory { get; } = dataDirectory;

    public string DatabaseFile => Path.Combine(DataDirectory, "portal.db");

    /// <summary>Hangfire's own SQLite file (its storage serves one process; the portal database is not shared with it).</summary>
    public string SchedulerDatabaseFile => Path.Combine(DataDirectory, "hangfire.db");

    public string ArtifactsDirectory => Path.Combine(DataDirectory, "artifacts");

    /// <summary>Root of the in-process agents' private folders; the coordinator never opens these.</summary>
    public string AgentsDirectory => Path.Combine(DataDirectory, "agents");
}
