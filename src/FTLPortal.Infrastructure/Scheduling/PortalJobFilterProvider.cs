using Hangfire.Common;

namespace FTLPortal.Infrastructure.Scheduling;

/// <summary>Hangfire's own filters (attributes and global ones) plus this host's <see cref="PortalJobFilter"/>.</summary>
internal sealed class PortalJobFilterProvider(PortalJobFilter filter) : IJobFilterProvider
{
    private readonly JobFilter _filter = new(filter, JobFilterScope.Global, null);

    public IEnumerable<JobFilter> GetFilters(Job job) => JobFilterProviders.Providers.GetFilters(job).Append(_filter);
}
