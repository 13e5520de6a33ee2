namespace FTLPortal.Core.BaseModels;

/// <summary>The largest weights file an import accepts, from configuration (Portal:MaxModelImportBytes).</summary>
public sealed record BaseModelImportLimits(long MaxUploadBytes);
