using FTLPortal.Core.Jobs;

namespace FTLPortal.Web.Hubs;

/// <summary>What <see cref="JobsHub"/> calls on its clients.</summary>
public interface IJobsClient
{
    /// <summary>A job event (status, progress, round metrics, model card ready), named <c>JobEvent</c> on the wire.</summary>
    Task JobEvent(JobEvent e);
}
