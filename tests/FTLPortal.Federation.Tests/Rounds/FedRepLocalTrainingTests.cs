using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>FedRep (Collins et al. 2021): each round trains the personal head with the body frozen, then the body with the head frozen.</summary>
public sealed class FedRepLocalTrainingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TrainLocalAsync_TrainsHeadAloneThenBodyWithHeadFrozen_WhenPersonalHeadEpochsAreSet()
    {
        var agent = new InProcessAgent("p", _temp.Sub("p"));
        await agent.RegisterDomainAsync("d", TestData.ToCsv(TestData.Synthetic(rows: 200, features: 4, classes: 3, seed: 41)), "label", new SummaryOptions { EmbeddingDimension = 16 }, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 16, classes: 3, seed: 7);
        var request = new LocalTrainingRequest
        {
            Round = 1,
            DomainId = "d",
            ArchitectureJson = architecture.ToJson(),
            GlobalWeights = TestData.Bytes(initial),
            Training = new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.05f, Seed = 3 },
        };

        ModelUpdate fedRep = await agent.TrainLocalAsync(request with { PersonalLayers = ["output"], PersonalHeadEpochs = 2, RunId = "fedrep" }, CancellationToken.None);

        // The same two phases by hand: the head alone (body frozen), then the body from that head with the head frozen.
        await agent.TrainLocalAsync(request with { FrozenLayers = ["dense1"], PersonalLayers = ["output"], RunId = "head" }, CancellationToken.None);
        WeightSet head = agent.KeptLocalLayers("head", "d")!;
        var withHead = new WeightSet(initial.Select(t => head.TryGet(t.Name, out NamedTensor? h) ? h : t));
        ModelUpdate body = await agent.TrainLocalAsync(request with { GlobalWeights = TestData.Bytes(withHead), FrozenLayers = ["output"] }, CancellationToken.None);

        WeightSet sent = TestData.Weights(fedRep.Weights);
        Assert.Equal(["dense1.bias", "dense1.weight"], sent.Names.Order(StringComparer.Ordinal)); // the head never leaves
        Assert.Equal(head.Sha256(), agent.KeptLocalLayers("fedrep", "d")!.Sha256());
        Assert.Equal(TestData.Weights(body.Weights).Only(["dense1"]).Sha256(), sent.Sha256());

        // FedPer (both trained together) is a different update: the phases matter.
        ModelUpdate fedPer = await agent.TrainLocalAsync(request with { PersonalLayers = ["output"], RunId = "fedper" }, CancellationToken.None);
        Assert.NotEqual(TestData.Weights(fedPer.Weights).Sha256(), sent.Sha256());
    }
}
