using Quartz;

namespace FTLPortal.Web.Ops;

/// <summary>A trigger and its state (Normal = waiting to fire, Blocked = its job is running, Paused, Complete, Error).</summary>
public sealed record ScheduledTrigger(string Key, TriggerState State, DateTimeOffset? PreviousFireTime, DateTimeOffset? NextFireTime);
