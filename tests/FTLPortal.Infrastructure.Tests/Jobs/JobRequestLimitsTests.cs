using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;

namespace FTLPortal.Infrastructure.Tests.Jobs;

public sealed class JobRequestLimitsTests : IAsyncLifetime
{
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<DomainListItem> SourceAsync() =>
        (await _host.Get<IDomainService>().ListAsync(PortalHost.Scientist, default)).Single(d => d.Name == "northwind-registry");

    private async Task<JobRequestResult> PretrainAsync(Func<PretrainingParameters, PretrainingParameters> change)
    {
        var source = await SourceAsync();
        return await _host.Get<IJobService>().RequestPretrainingAsync(
            PortalHost.Scientist, change(new PretrainingParameters { SourceDomainId = source.Id, ModelName = "limits", HiddenSizes = [8], Epochs = 2 }), default);
    }

    private async Task<int> JobCountAsync() => (await _host.Get<IJobService>().ListAsync(PortalHost.Scientist, null, default)).Count;

    [Fact]
    public async Task RequestPretraining_RefusesLearningRate_WhenItBecomesZeroAsFloat32()
    {
        var before = await JobCountAsync();

        var result = await PretrainAsync(p => p with { LearningRate = 1e-300 });

        Assert.False(result.Succeeded);
        Assert.Contains("too small for float32", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await JobCountAsync());
    }
}
