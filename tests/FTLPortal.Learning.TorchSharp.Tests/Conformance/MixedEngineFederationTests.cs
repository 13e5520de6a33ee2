using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Learning.TorchSharp.Tests.Conformance;

public sealed class MixedEngineFederationTests : IDisposable
{
    private static readonly string[] Partners = ["alpha", "beta", "gamma"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ftl-mixed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_MatchesAllBuiltInRun_WhenAgentsUseDifferentEngines()
    {
        var torch = new TorchSharpEngine(new TorchSharpEngineOptions { Threads = 1 });
        FederatedRunResult allBuiltIn = await Run("builtin", [BuiltInEngine.Instance, BuiltInEngine.Instance, BuiltInEngine.Instance]);
        FederatedRunResult mixed = await Run("mixed", [BuiltInEngine.Instance, torch, torch]);

        Assert.Equal(3, mixed.Rounds.Count);
        Assert.All(mixed.Rounds, r => Assert.Equal(3, r.Clients.Count));
        foreach (NamedTensor tensor in allBuiltIn.FinalWeights)
        {
            float[] other = mixed.FinalWeights[tensor.Name].Data;
            double difference = Math.Sqrt(tensor.Data.Zip(other, (a, b) => (double)(a - b) * (a - b)).Sum());
            double norm = Math.Max(Math.Sqrt(tensor.Data.Sum(a => (double)a * a)), 1e-12);
            Assert.True(difference / norm <= 1e-4, $"{tensor.Name}: relative difference {difference / norm:E2}");
        }

        Assert.Equal(
            allBuiltIn.FinalEvaluations.Select(e => e.Validation.Accuracy),
            mixed.FinalEvaluations.Select(e => e.Validation.Accuracy));
    }

    private async Task<FederatedRunResult> Run(string name, ITrainingEngine[] engines)
    {
        var participants = new List<Participant>();
        for (int i = 0; i < Partners.Length; i++)
        {
            var agent = new InProcessAgent(Partners[i], Path.Combine(_root, name, Partners[i]), new InProcessAgentOptions { Engine = engines[i] });
            TabularDataset domain = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 120, Features = 5, Classes = 3, Seed = 30 + i, CovariateShift = 0.3 * i });
            using var csv = new MemoryStream();
            CsvDatasetWriter.Write(domain, csv);
            csv.Position = 0;
            await agent.RegisterDomainAsync("target", csv, "label", new SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
            participants.Add(new Participant(Partners[i], "target", agent));
        }

        ModelArchitecture architecture = ModelArchitecture.Mlp(5, [12], ["class_0", "class_1", "class_2"]);
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = SafeTensorsFormat.ToBytes(SequentialModel.Create(architecture, seed: 6).GetWeights()),
            FrozenLayers = ["dense1"],
            Rounds = 3,
            Local = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.02f, Optimizer = OptimizerKind.Sgd, Momentum = 0.9f, Seed = 3 },
            Participants = participants,
            SplitSeed = 1,
        };
        return await new FederatedTrainer().RunAsync(plan, null, CancellationToken.None);
    }
}
