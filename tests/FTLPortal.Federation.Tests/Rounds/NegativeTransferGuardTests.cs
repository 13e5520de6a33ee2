using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>
/// The negative-transfer guard in the round loop: "shifted" sees the class centres rotated by 2π/3 (the same clusters carry
/// other labels), so FedAvg's shared head cannot fit it and its global-model result falls clearly below its local-only model.
/// </summary>
public sealed class NegativeTransferGuardTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public NegativeTransferGuardTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ShiftedPartnerDoesNoWorse_WhenFlaggedAndActedOn()
    {
        Dictionary<string, TabularDataset> domains = SyntheticFederation.ConceptShifted();
        var agents = (await SyntheticFederation.StartAsync(_temp, domains)).ToDictionary(a => a.Key, a => a.Value.Agent);

        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 16, classes: 3, seed: 5);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 6,
            Local = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.01f, Seed = 2 },
            Participants = domains.Keys.Select(p => new Participant(p, "d", agents[p])).ToList(),
            MinParticipants = 2,
        };
        IReadOnlyList<LocalOnlyReference> references = await LocalOnlyReferences.ComputeAsync(plan, TimeSpan.FromMinutes(5), CancellationToken.None);

        FederatedRunResult none = await new FederatedTrainer().RunAsync(plan with { RunId = "none" });
        FederatedRunResult personalize = await new FederatedTrainer().RunAsync(
            plan with { RunId = "personalize", NegativeTransfer = new NegativeTransferGuard(NegativeTransferResponse.Personalize, references) { FirstRound = NegativeTransferGuard.SecondHalf(6) } });
        var leaveObserver = new RecordingObserver();
        FederatedRunResult leave = await new FederatedTrainer().RunAsync(
            plan with { RunId = "leave", NegativeTransfer = new NegativeTransferGuard(NegativeTransferResponse.Leave, references) { FirstRound = NegativeTransferGuard.SecondHalf(6) } }, leaveObserver);

        double Balanced(FederatedRunResult r, string partner) => r.FinalEvaluations.Single(e => e.PartnerId == partner).Test!.Report!.BalancedAccuracy.Value;
        foreach ((string name, FederatedRunResult r) in new[] { ("none", none), ("personalize", personalize), ("leave", leave) })
        {
            _output.WriteLine($"{name}: " + string.Join(", ", domains.Keys.Select(p => $"{p} {Balanced(r, p):F3}")) + "; " + string.Join("; ", r.Reactions.Select(x => $"{x.PartnerId} {x.Describe()}")));
        }

        // Without an action nothing changes; with one (checked from the second half), only the shifted partner is flagged, once.
        Assert.Empty(none.Reactions);
        NegativeTransferReaction personalized = Assert.Single(personalize.Reactions);
        NegativeTransferReaction left = Assert.Single(leave.Reactions);
        Assert.All(new[] { personalized, left }, r => Assert.True(r.PartnerId == "shifted" && r.Applied && r.Round == 4, r.Describe()));
        Assert.StartsWith("left after round 4 for its local-only model: federated ", left.Describe(), StringComparison.Ordinal);

        // Personalized: from round 5 the shifted partner's updates leave its head out, and it is scored with its own head.
        Assert.All(agents["shifted"].TrainingRequests.Where(r => r.RunId == "personalize" && r.Round >= 5), r => Assert.Equal(["output"], r.PersonalLayers));
        var shiftedCalls = agents["shifted"].TrainingRequests.Zip(agents["shifted"].Updates).Where(c => c.First.RunId == "personalize").ToList();
        Assert.Equal(6, shiftedCalls.Count);
        Assert.All(shiftedCalls.Where(c => c.First.Round >= 5), c => Assert.DoesNotContain("output.weight", TestData.Weights(c.Second.Weights).Names));
        Assert.All(shiftedCalls.Where(c => c.First.Round <= 4), c => Assert.Contains("output.weight", TestData.Weights(c.Second.Weights).Names));
        // Left: it trained in rounds 1-4 only, and the others went on.
        Assert.Equal(4, agents["shifted"].TrainingRequests.Count(r => r.RunId == "leave"));
        Assert.Equal(6, agents["alpha"].TrainingRequests.Count(r => r.RunId == "leave"));
        Assert.Contains(leaveObserver.Completed, c => c.Round == 4 && c.Reactions.Count == 1);

        // A partner that left falls back to its local-only model (the portal's final step scores that one for it).
        LocalBaselineResult shiftedLocal = (await new LocalBaseline().RunAsync(plan)).Single(b => b.PartnerId == "shifted");
        double leftWith = shiftedLocal.Test!.Report!.BalancedAccuracy.Value;
        _output.WriteLine($"leave: shifted's local-only model {leftWith:F3}");

        // Measured on 2026-12-02 (these seeds), test balanced accuracy of "shifted": 0.521 without an action (flagged after
        // round 4 at 61.5 % [49.2 %, 73.2 %] against local-only 100 % on validation), 1.000 when it switches to its own head,
        // 1.000 with its local-only model when it leaves (margin 0.479 both; staying on the round-4 global would give 0.438).
        // The assertions ask for most of that margin.
        Assert.True(leftWith >= Balanced(none, "shifted") + 0.3, $"leave {leftWith:F3} vs none {Balanced(none, "shifted"):F3}");
        Assert.True(Balanced(personalize, "shifted") >= Balanced(none, "shifted") + 0.3, $"personalize {Balanced(personalize, "shifted"):F3} vs none {Balanced(none, "shifted"):F3}");
    }
}
