using FTLPortal.Federation.Agents;

namespace FTLPortal.Infrastructure.Tests;

/// <summary>A real agent whose local training takes at least <paramref name="delay"/>, so a test can act mid-job.</summary>
internal sealed class SlowAgent(IFederatedAgent inner, TimeSpan delay) : DelegatingAgent(inner)
{
    public override async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        await Task.Delay(delay, ct);
        return await Inner.TrainLocalAsync(request, ct);
    }
}
