namespace FTLPortal.Infrastructure.Hosting;

/// <summary>Configuration section "Portal": where the embedded default keeps its files.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Folder for the SQLite database, artifacts and the in-process agents' private storage.
    /// Relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Overrides the SQLite connection string; by default a file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Seed the demo federation (partners, users, synthetic domains) on first start.</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>Largest CSV a partner may upload, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most columns an uploaded CSV's header may have (and features after one-hot encoding); refused while the header streams in.</summary>
    public int MaxUploadColumns { get; set; } = 2000;

    /// <summary>The most data rows an uploaded CSV may have.</summary>
    public int MaxUploadRows { get; set; } = 1_000_000;

    /// <summary>Largest weights file (safetensors or state_dict) a base-model import accepts, in bytes.</summary>
    public long MaxModelImportBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The most domains one partner may register.</summary>
    public int MaxDomainsPerPartner { get; set; } = 100;
}
