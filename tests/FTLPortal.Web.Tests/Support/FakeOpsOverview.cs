using FTLPortal.Core.Jobs;
using FTLPortal.Core.Operations;

namespace FTLPortal.Web.Tests.Support;

/// <summary>An Ops snapshot set by the test, or a failure like a locked database.</summary>
public sealed class FakeOpsOverview : IOpsOverview
{
    public OpsSnapshot Snapshot { get; set; } = new(new Dictionary<JobStatus, int>(), [], [], 0, "/hangfire", DateTimeOffset.UtcNow);

    public Exception? Failure { get; set; }

    public Task<OpsSnapshot> LoadAsync(CancellationToken cancellationToken) =>
        Failure is { } failure ? Task.FromException<OpsSnapshot>(failure) : Task.FromResult(Snapshot);
}
