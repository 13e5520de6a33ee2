using Quartz;

namespace FTLPortal.Web.Ops;

/// <summary>A firing running now (on any node of a clustered store), with the progress it last reported to Quartz.</summary>
public sealed record ExecutingJob(string Group, string Name, string Trigger, DateTimeOffset FiredAt, string SchedulerInstanceId, int? Progress, string? ProgressMessage, DateTimeOffset? InterruptRequestedAt);
