namespace FTLPortal.Core.Operations;

/// <summary>What the Ops page shows that the scheduler's own dashboard cannot know: portal states, rounds, partners, agents.</summary>
public interface IOpsOverview
{
    Task<OpsSnapshot> LoadAsync(CancellationToken cancellationToken);
}
