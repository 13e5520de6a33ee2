using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>FedPer end to end: in-process agents on synthetic domains, one with concept shift; the output head stays with each partner.</summary>
public sealed class FedPerEndToEndTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public FedPerEndToEndTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_BeatsFedAvgForShiftedPartnerAndKeepsHeads_WhenOutputIsPersonal()
    {
        Dictionary<string, TabularDataset> domains = SyntheticFederation.ConceptShifted();
        var started = await SyntheticFederation.StartAsync(_temp, domains);
        var agents = started.ToDictionary(a => a.Key, a => a.Value.Agent);
        var inner = started.ToDictionary(a => a.Key, a => a.Value.Inner);

        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 16, classes: 3, seed: 5);
        FineTuningPlan Plan(IReadOnlyList<string> personal) => new()
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 6,
            Local = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.01f, Seed = 2 },
            Participants = domains.Keys.Select(p => new Participant(p, "d", agents[p])).ToList(),
            MinParticipants = 3,
            PersonalLayers = personal,
            RunId = personal.Count == 0 ? "fedavg" : "fedper",
        };

        FederatedRunResult fedAvg = await new FederatedTrainer().RunAsync(Plan([]));
        int updatesBefore = agents.Values.Sum(a => a.Updates.Count);
        FederatedRunResult fedPer = await new FederatedTrainer().RunAsync(Plan(["output"]));

        double Accuracy(FederatedRunResult r, string partner) => r.FinalEvaluations.Single(e => e.PartnerId == partner).Validation.Accuracy;
        foreach (string partner in domains.Keys)
        {
            _output.WriteLine($"{partner}: FedAvg {Accuracy(fedAvg, partner):F3}, FedPer {Accuracy(fedPer, partner):F3}");
        }

        // Measured on 2026-12-01 (these seeds): shifted 0.513 with FedAvg, 1.000 with FedPer (margin 0.487); alpha and beta
        // 1.000 with both. The assertion asks for most of that margin.
        Assert.True(Accuracy(fedPer, "alpha") >= Accuracy(fedAvg, "alpha") - 0.05 && Accuracy(fedPer, "beta") >= Accuracy(fedAvg, "beta") - 0.05);
        Assert.True(
            Accuracy(fedPer, "shifted") >= Accuracy(fedAvg, "shifted") + 0.4,
            $"shifted: FedPer {Accuracy(fedPer, "shifted"):F3} vs FedAvg {Accuracy(fedAvg, "shifted"):F3}");

        // The heads never left their partners: no FedPer update carries an output tensor, and each agent kept its own.
        List<ModelUpdate> fedPerUpdates = [.. agents.Values.SelectMany(a => a.Updates.Skip(updatesBefore / agents.Count))];
        Assert.Equal(3 * 6, fedPerUpdates.Count);
        Assert.All(fedPerUpdates, u => Assert.Equal(["dense1.bias", "dense1.weight"], TestData.Weights(u.Weights).Names.Order(StringComparer.Ordinal)));
        Assert.Equal(initial.Only(["output"]).Sha256(), fedPer.FinalWeights.Only(["output"]).Sha256()); // the global head never moved
        var heads = domains.Keys.Select(p => Assert.IsType<WeightSet>(inner[p].KeptLocalLayers("fedper", "d"))).ToList();
        Assert.All(heads, h => Assert.Equal(["output.bias", "output.weight"], h.Names.Order(StringComparer.Ordinal)));
        Assert.Equal(3, heads.Select(h => h.Sha256()).Distinct().Count());
        Assert.All(agents.Values.SelectMany(a => a.TrainingRequests).Where(r => r.RunId == "fedper"), r => Assert.Equal(["output"], r.PersonalLayers));
    }

    [Fact]
    public async Task RunAsync_ThrowsArgumentException_WhenPersonalLayerUnknownOrFrozen()
    {
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp();
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 1,
            Local = new TrainingOptions(),
            Participants = [new Participant("a", "d", new FakeAgent("a"))],
        };

        ArgumentException unknown = await Assert.ThrowsAsync<ArgumentException>(() => new FederatedTrainer().RunAsync(plan with { PersonalLayers = ["head"] }));
        ArgumentException both = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(plan with { PersonalLayers = ["output"], FrozenLayers = ["output"] }));
        ArgumentException nothing = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(plan with { PersonalLayers = ["output"], FrozenLayers = ["dense1"] }));

        Assert.Contains("'head' is not a layer", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("both frozen and personal", both.Message, StringComparison.Ordinal);
        Assert.Contains("nothing to share", nothing.Message, StringComparison.Ordinal);
    }
}
