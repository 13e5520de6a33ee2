using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

public sealed class EndToEndTests : IDisposable
{
    private const int Classes = 3;
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 32 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_FineTunesPretrainedModelAboveChanceWithFrozenDense1Unchanged_WhenThreeInProcessAgentsTakePart()
    {
        string[] partners = ["alpha", "beta", "gamma"];
        var agents = partners.ToDictionary(p => p, p => new InProcessAgent(p, _temp.Sub(p)));

        // The source domain, pre-trained at alpha; each partner holds one shifted target domain.
        await Register(agents["alpha"], "source", new SyntheticDomainOptions { Rows = 600, Features = 6, Classes = Classes, Seed = 1 });
        for (int i = 0; i < partners.Length; i++)
        {
            await Register(agents[partners[i]], "target", new SyntheticDomainOptions
            {
                Rows = 240,
                Features = 6,
                Classes = Classes,
                Seed = 10 + i,
                CovariateShift = 0.8,
                ConceptShift = 0.3,
                LabelShift = 0.2 * i,
            });
        }

        PretrainResult pretrained = await agents["alpha"].PretrainAsync(
            new PretrainRequest
            {
                DomainId = "source",
                HiddenSizes = [16],
                Training = new TrainingOptions { Epochs = 20, BatchSize = 32, LearningRate = 0.01f, Seed = 5 },
                SplitSeed = 2,
            },
            null,
            CancellationToken.None);
        Assert.True(pretrained.Validation.Accuracy > 0.6, $"pre-training accuracy {pretrained.Validation.Accuracy}");

        var plan = new FineTuningPlan
        {
            ArchitectureJson = pretrained.ArchitectureJson,
            InitialWeights = pretrained.Weights,
            FrozenLayers = ["dense1"],
            Rounds = 3,
            Local = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.01f, Seed = 9 },
            Participants = partners.Select(p => new Participant(p, "target", agents[p])).ToList(),
            SplitSeed = 4,
            MinParticipants = 2,
        };
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, observer, CancellationToken.None);
        IReadOnlyList<LocalBaselineResult> baselines = await new LocalBaseline().RunAsync(plan, CancellationToken.None);

        WeightSet initial = TestData.Weights(pretrained.Weights);
        foreach (NamedTensor frozen in initial.Only(["dense1"]))
        {
            Assert.Equal(frozen.Data, result.FinalWeights[frozen.Name].Data); // bit-identical
        }

        Assert.NotEqual(initial.Only(["output"]).Sha256(), result.FinalWeights.Only(["output"]).Sha256());
        Assert.Equal([1, 2, 3], result.Rounds.Select(r => r.Round));
        Assert.All(result.Rounds, r => Assert.Equal(3, r.Clients.Count));
        Assert.Empty(observer.Dropped);
        Assert.Equal(3, result.FinalEvaluations.Count);
        Assert.All(result.FinalEvaluations, e => Assert.True(
            e.Validation.Accuracy > 1.0 / Classes + 0.25, $"{e.PartnerId}: federated accuracy {e.Validation.Accuracy}"));
        Assert.Equal(partners, baselines.Select(b => b.PartnerId));
        Assert.All(baselines, b => Assert.True(b.Validation is not null, b.Error));
    }

    private static async Task Register(InProcessAgent agent, string domainId, SyntheticDomainOptions options)
    {
        using MemoryStream csv = TestData.ToCsv(SyntheticDomains.Generate(options));
        await agent.RegisterDomainAsync(domainId, csv, "label", Summary, CancellationToken.None);
    }
}
