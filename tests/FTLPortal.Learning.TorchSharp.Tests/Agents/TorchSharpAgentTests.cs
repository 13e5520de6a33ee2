using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Training;
using Xunit.Abstractions;

namespace FTLPortal.Learning.TorchSharp.Tests.Agents;

/// <summary>An in-process agent offering both engines, as the portal's agents do when the TorchSharp plug-in loads.</summary>
public sealed class TorchSharpAgentTests(ITestOutputHelper output) : IDisposable
{
    private static readonly ModelArchitecture Architecture = ModelArchitecture.Mlp(5, [16], ["class_0", "class_1", "class_2"]);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ftl-ts-agent-" + Guid.NewGuid().ToString("N"));
    private readonly TorchSharpEngine _torch = new(new TorchSharpEngineOptions { Threads = 1 });

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<InProcessAgent> AgentAsync(string partner, int seed, params ITrainingEngine[] engines)
    {
        var agent = new InProcessAgent(partner, Path.Combine(_root, partner), new InProcessAgentOptions { Engines = engines });
        TabularDataset domain = SyntheticDomains.Generate(new SyntheticDomainOptions { Rows = 120, Features = 5, Classes = 3, Seed = seed });
        using var csv = new MemoryStream();
        CsvDatasetWriter.Write(domain, csv);
        csv.Position = 0;
        await agent.RegisterDomainAsync("d", csv, "label", new SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
        return agent;
    }

    private static LocalTrainingRequest Request(byte[] weights, string? engine, int round = 1) => new()
    {
        Round = round,
        DomainId = "d",
        ArchitectureJson = Architecture.ToJson(),
        GlobalWeights = weights,
        Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Seed = round },
        Engine = engine,
    };

    private static byte[] InitialWeights() => SafeTensorsFormat.ToBytes(SequentialModel.Create(Architecture, seed: 4).GetWeights());

    [Fact]
    public async Task TrainLocalAsync_TrainsWithTheNamedEngine_FromTheAgentsCatalog()
    {
        InProcessAgent agent = await AgentAsync("both", 1, BuiltInEngine.Instance, _torch);
        byte[] start = InitialWeights();

        ModelUpdate builtIn = await agent.TrainLocalAsync(Request(start, "builtin"), CancellationToken.None);
        ModelUpdate torch = await agent.TrainLocalAsync(Request(start, "TorchSharp"), CancellationToken.None);

        Assert.Equal(["builtin", "torchsharp"], agent.EngineNames);
        // The same step on both engines, to the conformance tolerance: each engine really ran.
        var a = SafeTensorsFormat.FromBytes(builtIn.Weights)["dense1.weight"].Data;
        var b = SafeTensorsFormat.FromBytes(torch.Weights)["dense1.weight"].Data;
        Assert.NotEqual(a, b);
        Assert.All(a.Zip(b), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-3, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public async Task TrainLocalAsync_RefusesAnEngine_ThatTheAgentDoesNotOffer()
    {
        InProcessAgent agent = await AgentAsync("torch-only", 2, _torch);

        var error = await Assert.ThrowsAsync<EngineNotOfferedException>(() => agent.TrainLocalAsync(Request(InitialWeights(), "builtin"), CancellationToken.None));

        Assert.Contains("does not offer the training engine 'builtin' (it offers: torchsharp)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Completes_WhenOneParticipantOverridesThePlansEngine()
    {
        var participants = new List<Participant>
        {
            new("alpha", "d", await AgentAsync("alpha", 3, BuiltInEngine.Instance, _torch)),
            new("beta", "d", await AgentAsync("beta", 4, BuiltInEngine.Instance, _torch)) { Engine = "torchsharp" },
            new("gamma", "d", await AgentAsync("gamma", 5, _torch)) { Engine = "torchsharp" },
        };
        var plan = new FineTuningPlan
        {
            ArchitectureJson = Architecture.ToJson(),
            InitialWeights = InitialWeights(),
            Rounds = 2,
            Local = new TrainingOptions { Epochs = 1, BatchSize = 16, Optimizer = OptimizerKind.Adam, LearningRate = 0.01f },
            Participants = participants,
            Engine = "builtin",
        };

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, null, CancellationToken.None);

        Assert.Equal(2, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Equal(3, r.Clients.Count));
    }

    [Fact]
    public async Task TrainAndEvaluate_KeepMemoryFlat_Over200RoundsOfAJob()
    {
        InProcessAgent agent = await AgentAsync("long", 6, _torch);
        byte[] weights = InitialWeights();
        long afterRound20 = 0;
        for (int round = 1; round <= 200; round++)
        {
            // Each round loads a model from the global weights, trains, evaluates and drops it, as a job's rounds do.
            ModelUpdate update = await agent.TrainLocalAsync(Request(weights, "torchsharp", round), CancellationToken.None);
            await agent.EvaluateAsync(new EvaluationRequest { DomainId = "d", ArchitectureJson = Architecture.ToJson(), Weights = weights, Engine = "torchsharp" }, CancellationToken.None);
            weights = update.Weights; // no frozen or local layers: the update is the whole model
            if (round == 20)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                afterRound20 = ProcessMemory.ResidentBytes();
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        long growth = ProcessMemory.ResidentBytes() - afterRound20;
        output.WriteLine($"resident after round 20: {afterRound20 / 1024} KiB; growth to round 200: {growth / 1024} KiB");
        Assert.True(growth < 32L * 1024 * 1024, $"resident memory grew by {growth / 1024} KiB from round 20 to round 200");
    }
}
