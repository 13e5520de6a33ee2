using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>Builds the events a job publishes from its current row.</summary>
internal static class JobEvents
{
    public static JobEvent StatusChanged(PortalJob job) => From(job, JobEventKind.StatusChanged) with { Message = job.Error ?? job.ProgressMessage };

    public static JobEvent Progress(PortalJob job) => From(job, JobEventKind.Progress) with { Message = job.ProgressMessage };

    public static JobEvent From(PortalJob job, JobEventKind kind) => new()
    {
        JobId = job.Id,
        Kind = kind,
        JobKind = job.Kind,
        JobName = job.Name,
        Status = job.Status,
        Progress = job.Progress,
        Round = job.CurrentRound,
        TotalRounds = job.TotalRounds,
        PartnerIds = PartnersOf(job),
    };

    public static IReadOnlyList<Guid> PartnersOf(PortalJob job) =>
        job.InvolvedPartners.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();
}
