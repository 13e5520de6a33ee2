using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

public class LocalBaselineTests
{
    [Fact]
    public async Task RunAsync_TrainsEachPartnerAloneForAllEpochs_AndReportsFailuresPerPartner()
    {
        (ModelArchitecture architecture, WeightSet weights) = TestData.SmallMlp();
        var requests = new List<LocalTrainingRequest>();
        FakeAgent ok = new("a")
        {
            OnTrain = (request, _) =>
            {
                lock (requests)
                {
                    requests.Add(request);
                }

                return Task.FromResult(new FakeAgent("a").Shifted(request, 0.1f, 42));
            },
        };
        FakeAgent broken = new("b") { OnTrain = (_, _) => throw new InvalidOperationException("no data") };
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(weights),
            FrozenLayers = ["dense1"],
            Rounds = 3,
            Local = new TrainingOptions { Epochs = 2 },
            Participants = [new Participant("a", "da", ok), new Participant("b", "db", broken)],
        };

        IReadOnlyList<LocalBaselineResult> results = await new LocalBaseline().RunAsync(plan, CancellationToken.None);

        LocalTrainingRequest sent = Assert.Single(requests);
        Assert.Equal(6, sent.Training.Epochs);
        Assert.Equal(["dense1"], sent.FrozenLayers);
        Assert.Same(plan.InitialWeights, sent.GlobalWeights);
        Assert.Equal("da", sent.DomainId);
        Assert.True(sent.MetricsOnly);
        Assert.Equal(42, results[0].SampleCount);
        Assert.Equal(0.8, results[0].Validation!.Accuracy);
        Assert.Null(results[0].Error);
        Assert.Null(results[1].Validation);
        Assert.Contains("no data", results[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GetsOnlyMetricsBack_FromARealAgent()
    {
        using var temp = new TempFolder();
        var agent = new RecordingAgent(new InProcessAgent("a", temp.Sub("a")));
        await agent.RegisterDomainAsync("d", TestData.ToCsv(TestData.Synthetic(rows: 120, features: 4, classes: 3, seed: 3)), "label", new Learning.Summaries.SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
        (ModelArchitecture architecture, WeightSet weights) = TestData.SmallMlp();
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(weights),
            Rounds = 1,
            Local = new TrainingOptions { Epochs = 1 },
            Participants = [new Participant("a", "d", agent)],
        };

        LocalBaselineResult result = Assert.Single(await new LocalBaseline().RunAsync(plan, CancellationToken.None));

        // The baseline model, trained on this partner's rows alone, stays with the partner: only its scores leave.
        Assert.Empty(Assert.Single(agent.Updates).Weights);
        Assert.NotNull(result.Test);
        Assert.True(result.SampleCount > 0);
    }
}
