using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>FedBN on the coordinator side, with scripted agents.</summary>
public class FederatedTrainerLocalLayersTests
{
    private static readonly (ModelArchitecture Architecture, WeightSet Weights) Model = TestData.LocalBatchNormMlp();

    private static FineTuningPlan Plan(IReadOnlyList<IFederatedAgent> agents, int rounds = 2) => new()
    {
        ArchitectureJson = Model.Architecture.ToJson(),
        InitialWeights = TestData.Bytes(Model.Weights),
        Rounds = rounds,
        Local = new TrainingOptions { Epochs = 1 },
        Participants = agents.Select(a => new Participant(a.PartnerId, $"{a.PartnerId}-domain", a)).ToList(),
    };

    /// <summary>Sends every tensor of the shared layers, moved by <paramref name="delta"/>: what a FedBN agent sends.</summary>
    private static FakeAgent SharedOnly(string id, float delta) => new(id)
    {
        OnTrain = (request, _) =>
        {
            WeightSet update = new();
            foreach (NamedTensor tensor in TestData.Weights(request.GlobalWeights).Except(["bn1"]))
            {
                update.Add(tensor.Name, tensor.Shape, tensor.Data.Select(v => v + delta).ToArray());
            }

            return Task.FromResult(new ModelUpdate(id, request.Round, 10, TestData.Bytes(update), 0.5, new EvaluationResult(0.4, 0.8, 20)));
        },
    };

    [Fact]
    public async Task RunAsync_AveragesSharedLayersAndKeepsLocalLayersBitForBit_WhenUpdatesLeaveLocalLayersOut()
    {
        var agents = new[] { new RecordingAgent(SharedOnly("a", 1f)), new RecordingAgent(SharedOnly("b", 3f)) };
        FineTuningPlan plan = Plan(agents, rounds: 2);
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, observer, CancellationToken.None);

        Assert.Empty(observer.Dropped);
        Assert.Equal(Model.Weights.Only(["bn1"]).Sha256(), result.FinalWeights.Only(["bn1"]).Sha256());
        foreach (NamedTensor tensor in Model.Weights.Except(["bn1"]))
        {
            float[] final = result.FinalWeights[tensor.Name].Data;
            for (int i = 0; i < final.Length; i++)
            {
                Assert.Equal(tensor.Data[i] + 4f, final[i], 1e-4f); // two rounds of mean delta 2
            }
        }

        Assert.All(agents.SelectMany(a => a.TrainingRequests), r => Assert.Equal(plan.RunId, r.RunId));
        Assert.All(agents.SelectMany(a => a.EvaluationRequests), r => Assert.Equal(plan.RunId, r.RunId));
        // Each agent: the global model's validation after each of the 2 rounds (the last one is also the final
        // validation number), then the final model on its test rows.
        Assert.Equal(6, agents.Sum(a => a.EvaluationRequests.Count));
    }

    [Fact]
    public async Task RunAsync_DropsParticipant_WhenUpdateCarriesLocalLayer()
    {
        var leaky = new FakeAgent("leaky"); // sends every non-frozen tensor, the local batch norm included
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(
            Plan([leaky, SharedOnly("good", 1f)], rounds: 1), observer, CancellationToken.None);

        (int round, string partner, string reason) = Assert.Single(observer.Dropped);
        Assert.Equal((1, "leaky"), (round, partner));
        Assert.Contains("local layer 'bn1'", reason, StringComparison.Ordinal);
        Assert.Equal(["good"], Assert.Single(result.Rounds).Clients.Select(c => c.PartnerId));
        Assert.Equal(Model.Weights.Only(["bn1"]).Sha256(), result.FinalWeights.Only(["bn1"]).Sha256());
    }

    [Fact]
    public async Task RunAsync_ThrowsArgumentException_WhenEverySharedLayerIsFrozen()
    {
        FineTuningPlan plan = Plan([SharedOnly("a", 1f)]) with { FrozenLayers = ["dense1", "output"] };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(plan, null, CancellationToken.None));

        Assert.Contains("frozen or local", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ThrowsArgumentException_WhenRunIdIsBlank()
    {
        FineTuningPlan plan = Plan([SharedOnly("a", 1f)]) with { RunId = " " };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(plan, null, CancellationToken.None));

        Assert.Contains("run id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunId_DiffersBetweenPlans_WhenNotGiven()
    {
        FineTuningPlan first = Plan([SharedOnly("a", 1f)]);
        FineTuningPlan second = Plan([SharedOnly("a", 1f)]);

        Assert.False(string.IsNullOrWhiteSpace(first.RunId));
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(first.RunId, (first with { Rounds = 5 }).RunId);
    }
}
