using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.Rounds;

public class FederatedTrainerRoundPolicyTests
{
    private static readonly (ModelArchitecture Architecture, WeightSet Weights) Model = FakeAgentPlan.Model;

    private static FineTuningPlan Plan(IReadOnlyList<FakeAgent> agents, int rounds = 2, int minParticipants = 1) =>
        FakeAgentPlan.For(agents, rounds, minParticipants);

    private static FakeAgent[] Agents(int count) => Enumerable.Range(0, count).Select(i => new FakeAgent($"p{i}") { Delta = 0.01f * (i + 1) }).ToArray();

    private static FederatedTrainerOptions NoEvaluation(IAggregationStrategy? strategy = null) =>
        new() { EvaluateFinalModel = false, Strategy = strategy ?? new FederatedAveraging() };

    [Fact]
    public async Task RunAsync_AsksSeededFractionNotBelowMinimum_WhenClientFractionSet()
    {
        FakeAgent[] agents = Agents(10);
        FineTuningPlan plan = Plan(agents, rounds: 3, minParticipants: 2) with { ClientFraction = 0.3, SelectionSeed = 42 };

        FederatedRunResult first = await new FederatedTrainer(NoEvaluation()).RunAsync(plan);
        FederatedRunResult again = await new FederatedTrainer(NoEvaluation()).RunAsync(plan);
        FederatedRunResult fewer = await new FederatedTrainer(NoEvaluation()).RunAsync(plan with { ClientFraction = 0.05 });

        Assert.All(first.Rounds, r => Assert.Equal(3, r.Selected.Count)); // ⌈0.3·10⌉
        Assert.All(fewer.Rounds, r => Assert.Equal(2, r.Selected.Count)); // ⌈0.05·10⌉ = 1, raised to the minimum 2
        Assert.Equal(first.Rounds.Select(r => string.Join(",", r.Selected)), again.Rounds.Select(r => string.Join(",", r.Selected)));
        Assert.True(first.Rounds.Select(r => string.Join(",", r.Selected)).Distinct().Count() > 1, "rounds pick different partners");
        Assert.All(first.Rounds, r => Assert.Equal(r.Selected, r.Clients.Select(c => c.PartnerId)));
    }

    [Fact]
    public async Task RunAsync_ClosesRoundWithTimelyUpdates_WhenOnePartnerMissesDeadline()
    {
        FakeAgent slow = new("slow") { OnTrain = async (_, ct) => { await Task.Delay(TimeSpan.FromSeconds(30), ct); throw new InvalidOperationException(); } };
        FakeAgent[] agents = [new("a"), new("b"), slow];
        FineTuningPlan plan = Plan(agents, rounds: 1, minParticipants: 2) with { RoundDeadline = TimeSpan.FromMilliseconds(300) };

        FederatedRunResult result = await new FederatedTrainer(NoEvaluation()).RunAsync(plan);

        RoundSummary round = Assert.Single(result.Rounds);
        Assert.Equal(["a", "b"], round.Clients.Select(c => c.PartnerId));
        Assert.Equal("slow", Assert.Single(round.Dropped).PartnerId);
        Assert.Contains("did not answer", round.Dropped[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RetriesRound_WhenFirstAttemptLacksMinimum()
    {
        int calls = 0;
        FakeAgent flaky = new("flaky")
        {
            OnTrain = (request, _) => Interlocked.Increment(ref calls) == 1
                ? throw new IOException("link down")
                : Task.FromResult(new FakeAgent("flaky").Shifted(request, 1f, 10)),
        };
        FakeAgent[] agents = [new("a"), flaky];
        var observer = new RecordingWarnings();

        FederatedRunResult result = await new FederatedTrainer(NoEvaluation()).RunAsync(
            Plan(agents, rounds: 1, minParticipants: 2) with { MaxRoundAttempts = 3 }, observer);

        RoundSummary round = Assert.Single(result.Rounds);
        Assert.Equal(2, round.Attempts);
        Assert.Equal(2, round.Clients.Count);
        Assert.Contains("link down", Assert.Single(round.Dropped).Reason, StringComparison.Ordinal);
        Assert.Contains("retrying", Assert.Single(observer.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FailsWithReason_WhenRetriesRunOut()
    {
        FakeAgent[] agents = [new("a"), new("down") { OnTrain = (_, _) => throw new IOException("unreachable") }];

        FederationFailedException error = await Assert.ThrowsAsync<FederationFailedException>(
            () => new FederatedTrainer(NoEvaluation()).RunAsync(Plan(agents, rounds: 1, minParticipants: 2) with { MaxRoundAttempts = 2 }));

        Assert.Contains("after 2 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("down (the agent failed (IOException): unreachable)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Dropped.Count);
    }

    [Fact]
    public async Task RunAsync_RejectsUpdateOverNormBoundAndGoesOn_WhenBoundSet()
    {
        FakeAgent[] agents = [new("a") { Delta = 0.01f }, new("b") { Delta = 0.02f }, new("huge") { Delta = 100f }];

        FederatedRunResult result = await new FederatedTrainer(NoEvaluation()).RunAsync(Plan(agents, rounds: 1) with { MaxUpdateNorm = 1.0 });

        RoundSummary round = Assert.Single(result.Rounds);
        Assert.Equal(["a", "b"], round.Clients.Select(c => c.PartnerId));
        DroppedParticipant rejected = Assert.Single(round.Dropped);
        Assert.Equal("huge", rejected.PartnerId);
        Assert.Contains("more than the bound", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecordsBytesPerPartner_WhenRoundCompletes()
    {
        FederatedRunResult result = await new FederatedTrainer(NoEvaluation()).RunAsync(Plan(Agents(2), rounds: 1));

        RoundSummary round = Assert.Single(result.Rounds);
        long model = TestData.Bytes(Model.Weights).LongLength;
        Assert.All(round.Traffic, t => Assert.Equal(model, t.BytesToPartner));
        Assert.All(round.Traffic, t => Assert.InRange(t.BytesFromPartner, 1, model - 1)); // only the trainable tensors come back
        Assert.Equal(round.Traffic.Sum(t => t.BytesToPartner + t.BytesFromPartner), round.TotalBytes);
    }

    [Fact]
    public async Task RunAsync_ContinuesExactly_WhenServerOptimizerResumesFromCheckpoint()
    {
        FakeAgent[] agents = Agents(3);
        FineTuningPlan plan = Plan(agents, rounds: 4);
        FederatedRunResult straight = await new FederatedTrainer(NoEvaluation(new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam))).RunAsync(plan);

        FederatedRunResult firstHalf = await new FederatedTrainer(NoEvaluation(new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam)))
            .RunAsync(plan with { Rounds = 2 });
        FineTuningPlan resume = plan with
        {
            InitialWeights = firstHalf.FinalWeightsSafetensors,
            StartRound = 3,
            ServerState = firstHalf.Rounds[^1].ServerState,
        };
        FederatedRunResult secondHalf = await new FederatedTrainer(NoEvaluation(new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam))).RunAsync(resume);
        FederatedRunResult withoutState = await new FederatedTrainer(NoEvaluation(new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam)))
            .RunAsync(resume with { ServerState = null });

        Assert.Equal(straight.FinalWeights.Sha256(), secondHalf.FinalWeights.Sha256());
        Assert.NotEqual(straight.FinalWeights.Sha256(), withoutState.FinalWeights.Sha256()); // the moments matter
    }

    [Fact]
    public async Task RunAsync_PassesMuToAgents_WhenStrategyIsFedProx()
    {
        var seen = new List<float>();
        FakeAgent agent = new("a") { OnTrain = (request, _) => { lock (seen) { seen.Add(request.Training.ProximalMu); } return Task.FromResult(new FakeAgent("a").Shifted(request, 0.1f, 5)); } };

        await new FederatedTrainer(NoEvaluation(new FederatedProximal(0.25f))).RunAsync(Plan([agent], rounds: 2));

        Assert.Equal([0.25f, 0.25f], seen);
    }

    [Fact]
    public async Task RunAsync_StopsBeforeExceedingEpsilonBudget_WhenPrivacyBudgetSet()
    {
        var privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 1.0, ClipNorm = 1, Delta = 1e-5, EpsilonBudget = 12, NoiseSeed = 1 };
        FineTuningPlan plan = Plan(Agents(10), rounds: 50) with { ClientFraction = 0.5 };
        var observer = new RecordingWarnings();

        FederatedRunResult result = await new FederatedTrainer(NoEvaluation() with { Privacy = privacy }).RunAsync(plan, observer);

        double[] eps = [.. result.Rounds.Select(r => r.Epsilon!.Value)];
        Assert.InRange(result.Rounds.Count, 1, 49);
        Assert.All(eps, e => Assert.True(e <= 12));
        Assert.True(eps.Zip(eps.Skip(1)).All(p => p.First < p.Second), "ε grows with rounds");
        Assert.True(RdpAccountant.GetEpsilon(0.5, 1.0, result.Rounds.Count + 1, 1e-5).Epsilon > 12);
        Assert.Contains("over the budget", result.StoppedEarly, StringComparison.Ordinal);
        Assert.Single(observer.Messages);
    }

    [Fact]
    public async Task RunAsync_WarnsAndGoesOn_WhenBudgetActionIsWarn()
    {
        var privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 1.0, EpsilonBudget = 0.5, BudgetAction = PrivacyBudgetAction.Warn, NoiseSeed = 1 };

        FederatedRunResult result = await new FederatedTrainer(NoEvaluation() with { Privacy = privacy }).RunAsync(Plan(Agents(3), rounds: 2));

        Assert.Equal(2, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Contains("over the budget", r.Warning, StringComparison.Ordinal));
        Assert.Null(result.StoppedEarly);
    }

    [Fact]
    public void Constructor_Throws_WhenPrivacyMeetsRobustStrategy()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => new FederatedTrainer(new FederatedTrainerOptions { Strategy = new CoordinateWiseMedian(), Privacy = new DifferentialPrivacyOptions() }));

        Assert.Contains("'median' needs each plain update", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 1, "client fraction")]
    [InlineData(1.0, 0, "at least one attempt")]
    public async Task RunAsync_ThrowsArgumentException_WhenRoundPolicyInvalid(double fraction, int attempts, string expected)
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(Plan(Agents(2)) with { ClientFraction = fraction, MaxRoundAttempts = attempts }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingWarnings : IFederationObserver
    {
        public List<string> Messages { get; } = [];

        public void Warning(int round, string message) => Messages.Add(message);
    }
}
