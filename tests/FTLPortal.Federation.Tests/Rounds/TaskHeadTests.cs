using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>Multitask: partners with different label sets (3 and 5 classes) share a backbone, each with its own head.</summary>
public sealed class TaskHeadTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public TaskHeadTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A synthetic domain whose labels carry <paramref name="names"/> instead of the generator's.</summary>
    internal static TabularDataset Labelled(int classes, int seed, params string[] names)
    {
        TabularDataset d = TestData.Synthetic(rows: 300, features: 4, classes: classes, seed: seed);
        return new TabularDataset(d.FeatureNames, names, d.Features, d.Labels);
    }

    [Fact]
    public async Task RunAsync_TrainsOwnHeadsAndSharesOnlyBackbone_WhenClassSetsDiffer()
    {
        var domains = new Dictionary<string, TabularDataset>
        {
            ["clinic"] = Labelled(3, 41, "mild", "moderate", "severe"),
            ["lab"] = Labelled(5, 42, "t1", "t2", "t3", "t4", "t5"),
        };
        var started = await SyntheticFederation.StartAsync(_temp, domains);
        var agents = started.ToDictionary(a => a.Key, a => a.Value.Agent);
        var inner = started.ToDictionary(a => a.Key, a => a.Value.Inner);

        // The base model knows neither label set: its 2-class output layer is never used by these partners.
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 16, classes: 2, seed: 5);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 4,
            Local = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.01f, Seed = 2 },
            Participants = domains.Keys.Select(p => new Participant(p, "d", agents[p])).ToList(),
            MinParticipants = 2,
            PersonalLayers = ["output"],
            TaskHeads = true,
            RunId = "multitask",
        };

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan);

        Assert.Equal(4, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Empty(r.Dropped));
        // Only the backbone travelled and was averaged; the global output layer is the base model's, untouched.
        List<ModelUpdate> updates = [.. agents.Values.SelectMany(a => a.Updates)];
        Assert.Equal(2 * 4, updates.Count);
        Assert.All(updates, u => Assert.Equal(["dense1.bias", "dense1.weight"], TestData.Weights(u.Weights).Names.Order(StringComparer.Ordinal)));
        Assert.NotEqual(initial.Only(["dense1"]).Sha256(), result.FinalWeights.Only(["dense1"]).Sha256());
        Assert.Equal(initial.Only(["output"]).Sha256(), result.FinalWeights.Only(["output"]).Sha256());

        // Each agent kept a head sized to its own classes.
        WeightSet clinicHead = Assert.IsType<WeightSet>(inner["clinic"].KeptLocalLayers("multitask", "d"));
        WeightSet labHead = Assert.IsType<WeightSet>(inner["lab"].KeptLocalLayers("multitask", "d"));
        Assert.Equal(3, clinicHead["output.bias"].Data.Length);
        Assert.Equal(5, labHead["output.bias"].Data.Length);

        // Each partner is scored with its own head on its own classes.
        foreach ((string partner, TabularDataset data) in domains)
        {
            ParticipantEvaluation e = result.FinalEvaluations.Single(x => x.PartnerId == partner);
            _output.WriteLine($"{partner}: validation {e.Validation.Accuracy:F3}, test {e.Test!.Accuracy:F3}");
            Assert.Equal(data.ClassNames.Count, e.Test.Report!.ConfusionMatrix.Count);
            Assert.True(e.Test.Accuracy > 1.5 / data.ClassNames.Count, $"{partner}: {e.Test.Accuracy:F3} is near chance");
        }

        Assert.All(agents.Values.SelectMany(a => a.EvaluationRequests), r => Assert.True(r.OwnHead));
    }

    [Fact]
    public async Task RunAsync_ThrowsArgumentException_WhenTaskHeadsWithoutOutputPersonal()
    {
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp();
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = 1,
            Local = new TrainingOptions(),
            Participants = [new Participant("a", "d", new FakeAgent("a"))],
            TaskHeads = true,
        };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => new FederatedTrainer().RunAsync(plan));

        Assert.Contains("one of the personal layers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_DiffersByDomainAndIsStable_WhenJobSeedFixed()
    {
        Assert.Equal(TaskHead.Seed(42, "a"), TaskHead.Seed(42, "a"));
        Assert.NotEqual(TaskHead.Seed(42, "a"), TaskHead.Seed(42, "b"));
        Assert.NotEqual(TaskHead.Seed(42, "a"), TaskHead.Seed(43, "a"));
    }
}
