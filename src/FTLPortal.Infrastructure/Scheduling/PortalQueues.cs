namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>Hangfire queues by kind of work, so a long fine-tuning never holds up a similarity scoring.</summary>
internal static class PortalQueues
{
    public const string Training = "training";

    public const string Similarity = "similarity";

    /// <summary>Recurring occurrences: they only create and queue a portal job.</summary>
    public const string Default = "default";

    public static readonly string[] All = [Training, Similarity, Default];
}
