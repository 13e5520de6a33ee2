using FTLPortal.Core.BaseModels;
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

    [Fact]
    public async Task RequestPretraining_TrainsAnMlpOfEightHiddenLayers_AndRefusesNineStoringNothing()
    {
        var deep = await PretrainAsync(p => p with { HiddenSizes = [.. Enumerable.Repeat(6, 8)], Epochs = 1 });
        Assert.True(deep.Succeeded, deep.Error);
        var job = await _host.WaitForAsync(deep.Job!.Id);
        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var model = (await _host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default)).Single(m => m.PretrainingJobId == job.Id);
        var layers = System.Text.Json.JsonSerializer.Deserialize<List<ModelLayer>>(model.LayersJson)!;
        Assert.Equal(9, layers.Count(l => l.ParameterCount > 0));
        var before = await JobCountAsync();

        var tooDeep = await PretrainAsync(p => p with { HiddenSizes = [.. Enumerable.Repeat(6, 9)] });

        Assert.False(tooDeep.Succeeded);
        Assert.Equal("Hidden layers: 0 (logistic regression) to 8 layers of 1 to 4096 units.", tooDeep.Error);
        Assert.Equal(before, await JobCountAsync());
    }
}
