using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Security;
using FTLPortal.Infrastructure;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.Seeding;
using FTLPortal.Learning.TorchSharp.Tests.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Learning.TorchSharp.Tests.Jobs;

/// <summary>
/// A mixed job through the portal's job service on a real embedded host with the TorchSharp plug-in: Contoso's agent offers
/// only the built-in engine, Fabrikam's only TorchSharp, so the job (builtin) names TorchSharp for Fabrikam. An agent asked
/// for an engine it lacks refuses and the round drops it: a run with no drop trained each participant with its own engine.
/// </summary>
public sealed class MixedEngineJobTests : IDisposable
{
    private static readonly PortalUserContext Scientist = new("scientist", "scientist@ftl.local", new HashSet<string> { PortalRoles.DataScientist }, null);

    private readonly PluginFolder _plugins = new PluginFolder().WithTorchSharp();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ftl-mixed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _plugins.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background write; the temp folder is disposable anyway.
        }
    }

    [Fact]
    public async Task RequestFineTuning_CompletesWithBothEngines_AndTheCardNamesEachParticipantsEngine()
    {
        using var host = await StartAsync();
        var (parameters, _) = await MixedJobAsync(host, rounds: 2);

        var job = await WaitAsync(host, (await host.Services.GetRequiredService<IJobService>().RequestFineTuningAsync(Scientist, "mixed", parameters, default)).Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        await AssertTrainedByBothEnginesAsync(host, job.Id, rounds: 2);
        await host.StopAsync();
    }

    [Fact]
    public async Task RequestFineTuning_KeepsEachParticipantsEngine_WhenANewHostResumesTheJob()
    {
        Guid jobId;
        using (var first = await StartAsync())
        {
            var (parameters, contoso) = await MixedJobAsync(first, rounds: 6);
            // Rounds slow enough that the host stops mid-job; the second host runs the rest with the real agents.
            var agents = first.Services.GetRequiredService<AgentDirectory>();
            agents.Replace(contoso, new DelayedTrainingAgent(agents.For(contoso, "contoso"), TimeSpan.FromMilliseconds(400)));
            jobId = (await first.Services.GetRequiredService<IJobService>().RequestFineTuningAsync(Scientist, "resumed", parameters, default)).Job!.Id;
            var stopped = await WaitAsync(first, jobId, j => j.IsFinished || j.CurrentRound >= 2);
            Assert.False(stopped.IsFinished, "the job finished before the host stopped: make its rounds longer");
            await first.StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = await StartAsync();
        var done = await WaitAsync(second, jobId);

        Assert.True(done.Status == JobStatus.Completed, done.Error);
        Assert.True(done.Attempts >= 2, "the job was not resumed by the second host");
        await AssertTrainedByBothEnginesAsync(second, jobId, rounds: 6);
        await second.StopAsync();
    }

    private static async Task AssertTrainedByBothEnginesAsync(IHost host, Guid jobId, int rounds)
    {
        var metrics = await host.Services.GetRequiredService<IJobService>().GetRoundsAsync(Scientist, jobId, default);
        Assert.Equal(rounds * 2, metrics.Count);
        Assert.All(metrics, m => Assert.False(m.Dropped, $"{m.PartnerName} dropped from round {m.Round}: {m.DropReason}"));
        var card = await host.Services.GetRequiredService<IModelCardService>().FindByJobAsync(Scientist, jobId, default);
        Assert.NotNull(card);
        Assert.Contains("| Contoso Clinics | contoso-outpatients | ", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Contoso Clinics (contoso-outpatients) builtin (FTLPortal.Learning ", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Labs (fabrikam-screening) torchsharp (TorchSharp 0.107.0 / libtorch 2.10.0)", card.Markdown, StringComparison.Ordinal);
    }

    /// <summary>A base model pre-trained on Northwind's domain and a builtin job over Contoso and Fabrikam, Fabrikam on TorchSharp.</summary>
    private static async Task<(FineTuningParameters Parameters, Guid Contoso)> MixedJobAsync(IHost host, int rounds)
    {
        var domains = await host.Services.GetRequiredService<IDomainService>().ListAsync(Scientist, default);
        var jobs = host.Services.GetRequiredService<IJobService>();
        var pretraining = await jobs.RequestPretrainingAsync(
            Scientist, new PretrainingParameters { SourceDomainId = domains.Single(d => d.Name == "northwind-registry").Id, ModelName = "m", HiddenSizes = [8], Epochs = 1 }, default);
        var pretrained = await WaitAsync(host, pretraining.Job!.Id);
        Assert.True(pretrained.Status == JobStatus.Completed, pretrained.Error);
        var model = (await host.Services.GetRequiredService<Core.BaseModels.IBaseModelService>().ListAsync(Scientist, default)).Single(m => m.PretrainingJobId == pretrained.Id);
        var contoso = domains.Single(d => d.Name == "contoso-outpatients");
        var parameters = new FineTuningParameters
        {
            BaseModelId = model.Id,
            TargetDomainIds = [contoso.Id, domains.Single(d => d.Name == "fabrikam-screening").Id],
            Rounds = rounds,
            LocalEpochs = 1,
            Engine = FineTuningParameters.BuiltInEngine,
            ParticipantEngines = new Dictionary<string, string> { ["fabrikam"] = "torchsharp" },
        };
        return (parameters, contoso.PartnerId);
    }

    private async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = _data,
            ["Portal:SeedDemo"] = "true",
            ["Demo:Password"] = "Test-Password-123",
            ["Portal:Engines:PluginFolder"] = _plugins.Path,
            ["Portal:Engines:Threads"] = "1",
            ["Portal:Agents:contoso:Engines"] = "builtin",
            ["Portal:Agents:fabrikam:Engines"] = "torchsharp",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddInfrastructure();
        var host = builder.Build();
        await DemoFederationSeeder.InitializeAsync(host.Services);
        await host.StartAsync();
        return host;
    }

    private static async Task<PortalJob> WaitAsync(IHost host, Guid jobId, Func<PortalJob, bool>? until = null)
    {
        until ??= j => j.IsFinished;
        var jobs = host.Services.GetRequiredService<IJobService>();
        // A generous bound only so a broken run fails instead of hanging; no timing is asserted.
        PortalJob? last = null;
        for (var i = 0; i < 3000; i++)
        {
            last = await jobs.FindAsync(Scientist, jobId, default);
            if (last is not null && until(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {jobId} did not reach the expected state; it is {last?.Status} at round {last?.CurrentRound}: {last?.ProgressMessage} {last?.Error}");
    }
}
