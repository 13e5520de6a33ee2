using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.Storage;
using FTLPortal.Infrastructure.Jobs;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace FTLPortal.Infrastructure.Tests.BaseModels;

/// <summary>An imported base model is stored like a pre-trained one and fine-tunes like one, starting from the imported weights.</summary>
public sealed class BaseModelImportTests : IAsyncLifetime
{
    private readonly RecordingStateDictReader _reader = new();
    private PortalHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalHost.StartAsync(configure: s => s.AddSingleton<IStateDictReader>(_reader));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ImportedModel_FineTunesFromTheImportedWeights_FrozenLayerUnchanged()
    {
        var (architecture, targets) = await ArchitectureForDemoDomainsAsync();
        var weights = SequentialModel.Create(architecture, seed: 11).GetWeights();
        var imported = await ImportAsync("imported-mlp", architecture, SafeTensorsFormat.ToBytes(weights), BaseModelWeightsFormat.Detect);

        var parameters = new FineTuningParameters { BaseModelId = imported.Id, FrozenLayers = ["dense1"], TargetDomainIds = targets, Rounds = 2, LocalEpochs = 1 };
        var request = await _host.Get<IJobService>().RequestFineTuningAsync(PortalHost.Scientist, "fine-tune imported", parameters, default);
        Assert.True(request.Succeeded, request.Error);
        var job = await _host.WaitForAsync(request.Job!.Id);

        Assert.True(job.Status == JobStatus.Completed, job.Error);
        var final = SafeTensorsFormat.FromBytes((await _host.Get<IArtifactStore>().ReadAsync(FineTuningJobHandler.CheckpointKey(job.Id, 2), default))!);
        // Frozen layers are neither trained nor sent: they are still the imported tensors, bit for bit; the head trained.
        Assert.Equal(weights["dense1.weight"].Data, final["dense1.weight"].Data);
        Assert.Equal(weights["dense1.bias"].Data, final["dense1.bias"].Data);
        Assert.NotEqual(weights["output.weight"].Data, final["output.weight"].Data);
    }

    [Fact]
    public async Task Import_StoresANewVersionWithItsOrigin_AndTheLayersOfTheFreezePlan()
    {
        var architecture = ModelArchitecture.Mlp(3, [5], ["x", "y"]);
        var file = SafeTensorsFormat.ToBytes(SequentialModel.Create(architecture, seed: 1).GetWeights());

        var first = await ImportAsync("versioned-import", architecture, file, BaseModelWeightsFormat.Safetensors);
        var second = await ImportAsync("versioned-import", architecture, file, BaseModelWeightsFormat.Safetensors);

        Assert.Equal((1, 2), (first.Version, second.Version));
        var listed = (await _host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default)).Where(m => m.Name == "versioned-import").ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, m =>
        {
            Assert.Equal(BaseModelOrigin.Imported, m.Origin);
            Assert.False(m.HasSourceDomain);
            Assert.Equal("safetensors", m.ImportFormat);
            Assert.Equal(PortalHost.Scientist.Email, m.ImportedBy);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)), m.ImportFileSha256);
        });
        var layers = System.Text.Json.JsonSerializer.Deserialize<List<ModelLayer>>(listed[0].LayersJson)!;
        Assert.Equal(["dense1", "relu1", "output"], layers.Select(l => l.Name));
        Assert.Equal([(3 * 5) + 5, 0, (5 * 2) + 2], layers.Select(l => l.ParameterCount));
    }

    [Fact]
    public async Task Import_ConcurrentImportsOfOneName_EachTakeTheirOwnVersion()
    {
        var architecture = ModelArchitecture.Mlp(3, [5], ["x", "y"]);
        var file = SafeTensorsFormat.ToBytes(SequentialModel.Create(architecture, seed: 1).GetWeights());

        var models = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ImportAsync("concurrent-import", architecture, file, BaseModelWeightsFormat.Safetensors))));

        Assert.Equal([1, 2, 3, 4], models.Select(m => m.Version).Order());
    }

    [Fact]
    public async Task Import_ReadsStateDictsWithTheRegisteredReader()
    {
        var architecture = ModelArchitecture.Mlp(3, [5], ["x", "y"]);
        var weights = SequentialModel.Create(architecture, seed: 2).GetWeights();
        _reader.Tensors = SafeTensorsFormat.ReadTensors(SafeTensorsFormat.ToBytes(weights));

        var model = await ImportAsync("from-state-dict", architecture, [0x50, 0x4B, 3, 4, 0, 0, 0, 0], BaseModelWeightsFormat.Detect);

        Assert.Equal("state_dict", model.ImportFormat);
        Assert.Equal(weights.Sha256(), model.WeightsSha256);
        Assert.Equal(1, _reader.Calls);
    }

    [Fact]
    public async Task Import_RefusedAsPartnerAdmin_StoresNothing()
    {
        var architecture = ModelArchitecture.Mlp(3, [5], ["x", "y"]);
        using var file = new MemoryStream(SafeTensorsFormat.ToBytes(SequentialModel.Create(architecture, seed: 1).GetWeights()));

        var result = await _host.Get<IBaseModelImportService>().ImportAsync(PortalHost.PartnerAdmin("contoso"), new BaseModelImport("not-mine", architecture.ToJson(), BaseModelWeightsFormat.Detect, "m.safetensors"), file, default);

        Assert.Equal(BaseModelImportRefusal.Forbidden, result.Refusal);
        Assert.DoesNotContain(await _host.Get<IBaseModelService>().ListAsync(PortalHost.Scientist, default), m => m.Name == "not-mine");
    }

    private async Task<BaseModel> ImportAsync(string name, ModelArchitecture architecture, byte[] file, BaseModelWeightsFormat format)
    {
        using var stream = new MemoryStream(file);
        var result = await _host.Get<IBaseModelImportService>().ImportAsync(PortalHost.Scientist, new BaseModelImport(name, architecture.ToJson(), format, "model"), stream, default);
        Assert.True(result.Succeeded, result.Error);
        return result.Model!;
    }

    /// <summary>An MLP for the features and classes of the first demo domain, and the consenting domains that share them.</summary>
    private async Task<(ModelArchitecture Architecture, List<Guid> Targets)> ArchitectureForDemoDomainsAsync()
    {
        var service = _host.Get<IDomainService>();
        var statistics = new List<(Guid Id, DomainStatistics Stats)>();
        foreach (var item in await service.ListAsync(PortalHost.Scientist, default))
        {
            var domain = (await service.FindAsync(PortalHost.Scientist, item.Id, default))!;
            if (domain.TrainingConsent)
            {
                statistics.Add((domain.Id, DomainStatistics.FromSummaryJson(domain.SummaryJson)));
            }
        }

        var first = statistics[0].Stats;
        var targets = statistics
            .Where(s => s.Stats.FeatureNames.Count == first.FeatureNames.Count && s.Stats.ClassNames.All(first.ClassNames.Contains))
            .Select(s => s.Id)
            .Take(2)
            .ToList();
        return (ModelArchitecture.Mlp(first.FeatureNames.Count, [8], first.ClassNames.ToArray()), targets);
    }

    /// <summary>Stands in for the TorchSharp plug-in's reader: returns the tensors it is given, counting calls.</summary>
    private sealed class RecordingStateDictReader : IStateDictReader
    {
        public IReadOnlyDictionary<string, StateDictTensor> Tensors { get; set; } = new Dictionary<string, StateDictTensor>();

        public int Calls { get; private set; }

        public IReadOnlyDictionary<string, StateDictTensor> Read(Stream source)
        {
            Calls++;
            return Tensors;
        }
    }
}
