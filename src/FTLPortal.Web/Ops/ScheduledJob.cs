using Quartz;

namespace FTLPortal.Web.Ops;

/// <summary>A job in the store with its triggers.</summary>
public sealed record ScheduledJob(string Group, string Name, string? Description, bool RequestsRecovery, IReadOnlyList<ScheduledTrigger> Triggers);
