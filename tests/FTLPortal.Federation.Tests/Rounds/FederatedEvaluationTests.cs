using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

public sealed class FederatedEvaluationTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed class GlobalRecorder : IFederationObserver
    {
        public List<(int Round, IReadOnlyList<ParticipantEvaluation> Evaluations)> Global { get; } = [];

        public Dictionary<int, byte[]> Checkpoints { get; } = [];

        public void GlobalModelEvaluated(int round, IReadOnlyList<ParticipantEvaluation> evaluations) => Global.Add((round, evaluations));

        public void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors) =>
            Checkpoints[summary.Round] = globalWeightsSafetensors.ToArray();
    }

    private async Task<(FineTuningPlan Plan, Dictionary<string, InProcessAgent> Agents)> TwoPartnerPlan(int rounds)
    {
        var agents = new Dictionary<string, InProcessAgent>();
        foreach ((string partner, int seed) in new[] { ("north", 1), ("south", 2) })
        {
            agents[partner] = new InProcessAgent(partner, _temp.Sub(partner));
            using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 160, features: 4, classes: 2, seed: seed, covariateShift: 0.5 * seed));
            await agents[partner].RegisterDomainAsync("ward", csv, "label", Summary, CancellationToken.None);
        }

        ModelArchitecture architecture = ModelArchitecture.Mlp(4, [6], ["class_0", "class_1"]);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(SequentialModel.Create(architecture, 3).GetWeights()),
            Rounds = rounds,
            Local = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.02f, Seed = 4 },
            Participants = agents.Select(a => new Participant(a.Key, "ward", a.Value)).ToList(),
            RunId = "run-1",
        };
        return (plan, agents);
    }

    [Fact]
    public async Task RunAsync_ReportsTheGlobalModelsValidationNumbersEachRound_FromTheSameEvaluationAsTheFinalWeights()
    {
        (FineTuningPlan plan, Dictionary<string, InProcessAgent> agents) = await TwoPartnerPlan(rounds: 3);
        var observer = new GlobalRecorder();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, observer, CancellationToken.None);

        Assert.Equal([1, 2, 3], observer.Global.Select(g => g.Round));
        Assert.All(result.Rounds, r => Assert.Equal(2, r.GlobalEvaluations.Count));
        Assert.All(result.Rounds.SelectMany(r => r.GlobalEvaluations), e => Assert.Equal(EvaluationSplits.Validation, e.Validation.Split));

        // Each round's numbers are the evaluation of that round's checkpoint, not of the partners' local models.
        foreach (RoundSummary round in result.Rounds)
        {
            foreach (ParticipantEvaluation e in round.GlobalEvaluations)
            {
                EvaluationResult direct = await agents[e.PartnerId].EvaluateAsync(
                    new EvaluationRequest { DomainId = e.DomainId, ArchitectureJson = plan.ArchitectureJson, Weights = observer.Checkpoints[round.Round], RunId = plan.RunId },
                    CancellationToken.None);
                Assert.Equal(direct, e.Validation);
            }
        }

        // The last round's validation numbers are the final model's, and the final test numbers are the same function on the test rows.
        Assert.Equal(result.FinalWeightsSafetensors, observer.Checkpoints[3]);
        Assert.Equal(result.Rounds[^1].GlobalEvaluations, result.FinalEvaluations.Select(f => f with { Test = null }));
        foreach (ParticipantEvaluation final in result.FinalEvaluations)
        {
            EvaluationResult directTest = await agents[final.PartnerId].EvaluateAsync(
                new EvaluationRequest
                {
                    DomainId = final.DomainId, ArchitectureJson = plan.ArchitectureJson, Weights = result.FinalWeightsSafetensors,
                    RunId = plan.RunId, Split = EvaluationSplits.Test,
                },
                CancellationToken.None);
            Assert.Equal(directTest, final.Test);
            Assert.Equal(EvaluationSplits.Test, final.Test!.Split);
            Assert.NotNull(final.Test.Report!.RocAuc!.Lower);
        }

        double expectedAccuracy = result.Rounds[^1].GlobalEvaluations.Sum(e => e.Validation.Accuracy * e.Validation.Rows)
            / result.Rounds[^1].GlobalEvaluations.Sum(e => e.Validation.Rows);
        Assert.Equal(expectedAccuracy, result.Rounds[^1].GlobalValidationAccuracy, 12);
    }

    [Fact]
    public async Task RunAsync_SkipsPerRoundEvaluation_WhenTurnedOff()
    {
        (FineTuningPlan plan, _) = await TwoPartnerPlan(rounds: 1);

        FederatedRunResult result = await new FederatedTrainer(new FederatedTrainerOptions { EvaluateGlobalModelEachRound = false })
            .RunAsync(plan, null, CancellationToken.None);

        Assert.Empty(result.Rounds[0].GlobalEvaluations);
        Assert.True(double.IsNaN(result.Rounds[0].GlobalValidationAccuracy));
        Assert.Equal(2, result.FinalEvaluations.Count);
        Assert.All(result.FinalEvaluations, f => Assert.Equal(EvaluationSplits.Validation, f.Validation.Split));
    }

    [Fact]
    public async Task RunAsync_TrainsAndReportsEachDomain_WhenOnePartnerBringsTwoDomains()
    {
        var agent = new InProcessAgent("clinic", _temp.Sub("clinic"));
        foreach ((string domain, int seed) in new[] { ("ward-a", 1), ("ward-b", 2) })
        {
            using MemoryStream csv = TestData.ToCsv(TestData.Synthetic(rows: 120, features: 4, classes: 2, seed: seed));
            await agent.RegisterDomainAsync(domain, csv, "label", Summary, CancellationToken.None);
        }

        ModelArchitecture architecture = ModelArchitecture.Mlp(4, [], ["class_0", "class_1"]);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(SequentialModel.Create(architecture, 3).GetWeights()),
            Rounds = 2,
            Local = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 4 },
            Participants = [new Participant("clinic", "ward-a", agent), new Participant("clinic", "ward-b", agent)],
            MinParticipants = 2,
        };

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, null, CancellationToken.None);
        IReadOnlyList<LocalBaselineResult> baselines = await new LocalBaseline().RunAsync(plan, CancellationToken.None);

        Assert.All(result.Rounds, r => Assert.Equal(["ward-a", "ward-b"], r.Clients.Select(c => c.DomainId).Order()));
        Assert.All(result.Rounds, r => Assert.All(r.Clients, c => Assert.Equal("clinic", c.PartnerId)));
        Assert.Equal(["ward-a", "ward-b"], result.FinalEvaluations.Select(e => e.DomainId).Order());
        Assert.Equal(["ward-a", "ward-b"], baselines.Select(b => b.DomainId));
        Assert.All(baselines, b => Assert.NotNull(b.Test));
    }

    [Fact]
    public async Task RunAsync_RefusesAPlan_WhenTheSameDomainTakesPartTwice()
    {
        (FineTuningPlan plan, Dictionary<string, InProcessAgent> agents) = await TwoPartnerPlan(rounds: 1);
        plan = plan with { Participants = [.. plan.Participants, new Participant("north", "ward", agents["north"])] };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => new FederatedTrainer().RunAsync(plan));
        Assert.Contains("Domain 'ward' of partner 'north' takes part twice", error.Message, StringComparison.Ordinal);
    }
}
