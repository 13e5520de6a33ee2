using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Agents;

public class AgentContractsTests
{
    private static readonly JsonSerializerOptions Web = FederationJson.Options;

    [Fact]
    public void LocalTrainingRequest_RoundTripsThroughJson_WhenSentToRemoteAgent()
    {
        var request = new LocalTrainingRequest
        {
            Round = 3,
            DomainId = "d",
            ArchitectureJson = "{}",
            GlobalWeights = [1, 2, 3, 250],
            FrozenLayers = ["dense1"],
            Training = new TrainingOptions { Epochs = 4, Optimizer = OptimizerKind.Sgd, FrozenLayers = new HashSet<string> { "dense1" } },
            ValidationFraction = 0.3,
            SplitSeed = 7,
            RunId = "run-42",
        };

        LocalTrainingRequest copy = JsonSerializer.Deserialize<LocalTrainingRequest>(JsonSerializer.Serialize(request, Web), Web)!;

        Assert.Equal(request.GlobalWeights, copy.GlobalWeights);
        Assert.Equal(request.FrozenLayers, copy.FrozenLayers);
        Assert.Equal(["dense1"], copy.Training.FrozenLayers);
        Assert.Equal((3, 4, OptimizerKind.Sgd, 0.3, 7), (copy.Round, copy.Training.Epochs, copy.Training.Optimizer, copy.ValidationFraction, copy.SplitSeed));
        Assert.Equal("run-42", copy.RunId);
    }

    [Fact]
    public void ModelUpdate_RoundTripsItsTestReportThroughJson_WhenSentByRemoteAgent()
    {
        int[] labels = [0, 0, 0, 1, 1, 0, 1, 0];
        float[] probabilities = [.. labels.SelectMany((l, i) => new[] { 0.8f - (0.1f * l) - (0.01f * i), 0.2f + (0.1f * l) + (0.01f * i) })];
        EvaluationResult test = Evaluator.FromProbabilities(labels, probabilities, 2, new Learning.Metrics.ClassificationReportOptions { BootstrapSamples = 50 }) with { Split = EvaluationSplits.Test };
        var update = new ModelUpdate("p", 1, 10, [1, 2], 0.5, test with { Report = null, Split = EvaluationSplits.Validation }) { Test = test };

        ModelUpdate copy = JsonSerializer.Deserialize<ModelUpdate>(JsonSerializer.Serialize(update, Web), Web)!;

        Assert.Equal(update.Test, copy.Test);
        Assert.Equal(update.Validation, copy.Validation);
        Assert.Null(copy.CrossValidated);
    }

    [Theory]
    [InlineData("run-42")]
    [InlineData(null)]
    public void EvaluationRequest_RoundTripsRunIdThroughJson_WhenSentToRemoteAgent(string? runId)
    {
        var request = new EvaluationRequest { DomainId = "d", ArchitectureJson = "{}", Weights = [1, 2], SplitSeed = 3, RunId = runId };

        EvaluationRequest copy = JsonSerializer.Deserialize<EvaluationRequest>(JsonSerializer.Serialize(request, Web), Web)!;

        Assert.Equal((runId, 3, "d"), (copy.RunId, copy.SplitSeed, copy.DomainId));
    }

    [Fact]
    public void LocalTrainingRequest_HasNoRunId_WhenJsonFromOlderCoordinatorLacksIt()
    {
        const string json = """{"round":1,"domainId":"d","architectureJson":"{}","globalWeights":"AQI=","training":{"epochs":1}}""";

        LocalTrainingRequest copy = JsonSerializer.Deserialize<LocalTrainingRequest>(json, Web)!;

        Assert.Null(copy.RunId);
    }

    [Fact]
    public void ModelUpdate_RoundTripsThroughJson_WhenReturnedByRemoteAgent()
    {
        var update = new ModelUpdate("acme", 2, 120, [9, 8, 7], 0.25, new EvaluationResult(0.5, 0.75, 30));

        ModelUpdate copy = JsonSerializer.Deserialize<ModelUpdate>(JsonSerializer.Serialize(update, Web), Web)!;

        Assert.Equal(update.Weights, copy.Weights);
        Assert.Equal(update with { Weights = copy.Weights }, copy);
    }
}
