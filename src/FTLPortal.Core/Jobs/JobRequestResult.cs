namespace FTLPortal.Core.Jobs;

/// <summary>The queued job, or why the request was refused.</summary>
public sealed record JobRequestResult(PortalJob? Job, string? Error)
{
    public bool Succeeded => Job is not null;

    public static JobRequestResult Success(PortalJob job) => new(job, null);

    public static JobRequestResult Failure(string error) => new(null, error);
}
