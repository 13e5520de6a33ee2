using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

/// <summary>The engine a request names, picked from the agent's own engines (TorchSharp's side: Learning.TorchSharp.Tests).</summary>
public sealed class InProcessAgentEngineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(InProcessAgent Agent, ModelArchitecture Architecture, WeightSet Global)> AgentAsync()
    {
        var agent = new InProcessAgent("acme", _temp.Path);
        using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 80, features: 4, classes: 3, seed: 2));
        await agent.RegisterDomainAsync("d", csv, "label", new SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet global) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 3);
        return (agent, architecture, global);
    }

    private static LocalTrainingRequest Training(ModelArchitecture architecture, WeightSet global, string? engine) => new()
    {
        DomainId = "d",
        ArchitectureJson = architecture.ToJson(),
        GlobalWeights = TestData.Bytes(global),
        Training = new TrainingOptions { Epochs = 1, BatchSize = 16 },
        Engine = engine,
    };

    [Fact]
    public async Task TrainLocalAsync_RefusesNamingThePartner_WhenTheEngineIsNotOffered()
    {
        var (agent, architecture, global) = await AgentAsync();

        var error = await Assert.ThrowsAsync<EngineNotOfferedException>(() => agent.TrainLocalAsync(Training(architecture, global, "torchsharp"), CancellationToken.None));

        Assert.Equal("The agent of partner 'acme' does not offer the training engine 'torchsharp' (it offers: builtin).", error.Message);
    }

    [Fact]
    public async Task EvaluateAsync_RefusesTheEngine_WhenItIsNotOffered()
    {
        var (agent, architecture, global) = await AgentAsync();

        await Assert.ThrowsAsync<EngineNotOfferedException>(() => agent.EvaluateAsync(
            new EvaluationRequest { DomainId = "d", ArchitectureJson = architecture.ToJson(), Weights = TestData.Bytes(global), Engine = "torchsharp" }, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("builtin")]
    [InlineData("BuiltIn")]
    public async Task TrainLocalAsync_TrainsWithTheBuiltInEngine_WhenNamedOrByDefault(string? engine)
    {
        var (agent, architecture, global) = await AgentAsync();

        ModelUpdate update = await agent.TrainLocalAsync(Training(architecture, global, engine), CancellationToken.None);

        Assert.Equal([BuiltInEngine.EngineName], agent.EngineNames);
        Assert.NotEqual(global.Sha256(), TestData.Weights(update.Weights).Sha256());
    }
}
