namespace FTLPortal.Core.Domains;

/// <summary>Limits on a partner's CSV upload, from configuration (Portal:MaxUploadBytes).</summary>
public sealed record DomainUploadLimits(long MaxUploadBytes);
