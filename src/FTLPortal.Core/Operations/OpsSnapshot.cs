using FTLPortal.Core.Jobs;

namespace FTLPortal.Core.Operations;

/// <summary>The portal's side of operations at one moment.</summary>
public sealed record OpsSnapshot(
    IReadOnlyDictionary<JobStatus, int> CountsByStatus,
    IReadOnlyList<OpsJobLine> Jobs,
    IReadOnlyList<AgentHealth> Agents,
    int RecurringSchedules,
    string DashboardPath,
    DateTimeOffset TakenAt);
