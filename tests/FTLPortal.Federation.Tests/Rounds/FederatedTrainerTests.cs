using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

public class FederatedTrainerTests
{
    private static readonly (ModelArchitecture Architecture, WeightSet Weights) Model = FakeAgentPlan.Model;

    private static FineTuningPlan Plan(IReadOnlyList<FakeAgent> agents, int rounds = 2, int minParticipants = 1) =>
        FakeAgentPlan.For(agents, rounds, minParticipants);

    [Fact]
    public async Task RunAsync_AveragesUpdatesAndKeepsFrozenLayers_WhenAllParticipantsSucceed()
    {
        FakeAgent[] agents = [new("a") { Delta = 1f, SampleCount = 10 }, new("b") { Delta = 4f, SampleCount = 30 }];
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(Plan(agents, rounds: 2), observer, CancellationToken.None);

        // Each round moves the trainable tensors by the sample-weighted mean delta (10·1 + 30·4) / 40 = 3.25.
        foreach (NamedTensor tensor in Model.Weights.Except(["dense1"]))
        {
            float[] final = result.FinalWeights[tensor.Name].Data;
            for (int i = 0; i < final.Length; i++)
            {
                Assert.Equal(tensor.Data[i] + 6.5f, final[i], 1e-4f);
            }
        }

        Assert.Equal(Model.Weights.Only(["dense1"]).Sha256(), result.FinalWeights.Only(["dense1"]).Sha256());
        Assert.Equal(result.FinalWeights.Sha256(), TestData.Weights(result.FinalWeightsSafetensors).Sha256());
        Assert.Equal([1, 2], result.Rounds.Select(r => r.Round));
        Assert.All(result.Rounds, r => Assert.Equal(2, r.Clients.Count));
        Assert.Equal(["a", "b"], result.FinalEvaluations.Select(e => e.PartnerId));
        Assert.Equal(2, observer.Completed.Count);
        Assert.Empty(observer.Dropped);
    }

    [Fact]
    public async Task RunAsync_DropsParticipantAndContinues_WhenOneOfThreeAgentsThrows()
    {
        FakeAgent failing = new("b") { OnTrain = (_, _) => throw new InvalidOperationException("disk on fire") };
        FakeAgent[] agents = [new("a") { Delta = 1f }, failing, new("c") { Delta = 3f }];
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(Plan(agents, rounds: 2, minParticipants: 2), observer, CancellationToken.None);

        Assert.Equal(2, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Equal(["a", "c"], r.Clients.Select(c => c.PartnerId).Order()));
        Assert.All(result.Rounds, r => Assert.Equal("b", Assert.Single(r.Dropped).PartnerId));
        Assert.Equal(2, observer.Dropped.Count);
        Assert.All(observer.Dropped, d => Assert.Contains("disk on fire", d.Reason, StringComparison.Ordinal));
        Assert.Equal(2, failing.TrainCalls); // dropped from a round, asked again the next one
        float before = Model.Weights["output.bias"].Data[0];
        Assert.Equal(before + 4f, result.FinalWeights["output.bias"].Data[0], 1e-4f); // mean delta 2 per round
    }

    [Fact]
    public async Task RunAsync_ThrowsFederationFailed_WhenFewerThanMinParticipantsRemain()
    {
        FakeAgent[] agents =
        [
            new("a"),
            new("b") { OnTrain = (_, _) => throw new IOException("unreachable") },
            new("c") { OnTrain = (_, _) => throw new IOException("unreachable") },
        ];
        var observer = new RecordingObserver();

        FederationFailedException error = await Assert.ThrowsAsync<FederationFailedException>(
            () => new FederatedTrainer().RunAsync(Plan(agents, rounds: 3, minParticipants: 2), observer, CancellationToken.None));

        Assert.Equal(1, error.Round);
        Assert.Equal(["b", "c"], error.Dropped.Select(d => d.PartnerId).Order());
        Assert.Contains("only 1 of 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 2", error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Completed);
    }

    [Fact]
    public async Task RunAsync_DropsParticipant_WhenUpdateIsRejected()
    {
        FakeAgent poisoned = new("b")
        {
            OnTrain = (request, _) =>
            {
                var fake = new FakeAgent("b");
                ModelUpdate update = fake.Shifted(request, float.NaN, 10);
                return Task.FromResult(update);
            },
        };
        var observer = new RecordingObserver();

        FederatedRunResult result = await new FederatedTrainer().RunAsync(Plan([new("a"), poisoned], rounds: 1), observer, CancellationToken.None);

        (int round, string partner, string reason) = Assert.Single(observer.Dropped);
        Assert.Equal((1, "b"), (round, partner));
        Assert.StartsWith("update rejected", reason, StringComparison.Ordinal);
        Assert.All(result.FinalWeights, t => Assert.All(t.Data, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public async Task RunAsync_DropsParticipant_WhenAgentExceedsTimeout()
    {
        FakeAgent slow = new("slow") { OnTrain = async (request, ct) => { await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException(); } };
        var observer = new RecordingObserver();
        var trainer = new FederatedTrainer(new FederatedTrainerOptions { ClientTimeout = TimeSpan.FromMilliseconds(200) });

        FederatedRunResult result = await trainer.RunAsync(Plan([new("a"), slow], rounds: 1), observer, CancellationToken.None);

        (_, string partner, string reason) = Assert.Single(observer.Dropped);
        Assert.Equal("slow", partner);
        Assert.Contains("did not answer", reason, StringComparison.Ordinal);
        Assert.Equal("a", Assert.Single(Assert.Single(result.Rounds).Clients).PartnerId);
    }

    [Fact]
    public async Task RunAsync_StopsWithCancellation_WhenCancelledDuringRound()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeAgent blocking = new("a")
        {
            OnTrain = async (_, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            },
        };
        var observer = new RecordingObserver();

        Task<FederatedRunResult> run = new FederatedTrainer().RunAsync(Plan([blocking, new("b")], rounds: 5), observer, cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(observer.Completed);
        Assert.Empty(observer.Dropped); // cancellation is not a participant failure
    }

    [Fact]
    public async Task RunAsync_StopsBeforeNextRound_WhenCancelledBetweenRounds()
    {
        using var cts = new CancellationTokenSource();
        FakeAgent agent = new("a");
        var observer = new RecordingObserver { OnRoundStarted = round => { if (round == 2) { cts.Cancel(); } } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new FederatedTrainer().RunAsync(Plan([agent], rounds: 5), observer, cts.Token));

        Assert.Equal([1], observer.Completed.Select(r => r.Round));
        Assert.True(agent.TrainCalls <= 2);
    }

    [Fact]
    public async Task RunAsync_RunsOnlyRemainingRoundsFromGivenWeights_WhenResumed()
    {
        FakeAgent agent = new("a") { Delta = 1f };
        WeightSet checkpoint = Model.Weights.Clone();
        checkpoint["output.bias"].Data[0] = 100f;
        FineTuningPlan plan = Plan([agent], rounds: 4) with { StartRound = 3, InitialWeights = TestData.Bytes(checkpoint) };

        FederatedRunResult result = await new FederatedTrainer().RunAsync(plan, null, CancellationToken.None);

        Assert.Equal([3, 4], agent.RoundsSeen);
        Assert.Equal([3, 4], result.Rounds.Select(r => r.Round));
        Assert.Equal(102f, result.FinalWeights["output.bias"].Data[0], 1e-4f);
    }

    [Fact]
    public async Task RunAsync_ThrowsArgumentException_WhenInitialWeightsDoNotFitArchitecture()
    {
        FineTuningPlan plan = Plan([new("a")]) with { InitialWeights = TestData.Bytes(Model.Weights.Except(["output"])) };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(
            () => new FederatedTrainer().RunAsync(plan, null, CancellationToken.None));

        Assert.Contains("output.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReportsWeightedMeanValidation_WhenClientsDifferInValidationRows()
    {
        FakeAgent Agent(string id, double accuracy, int rows) => new(id)
        {
            OnTrain = (request, _) => Task.FromResult(new FakeAgent(id).Shifted(request, 0f, 10) with
            {
                Validation = new EvaluationResult(1 - accuracy, accuracy, rows),
            }),
        };

        FederatedRunResult result = await new FederatedTrainer().RunAsync(
            Plan([Agent("a", 0.5, 10), Agent("b", 1.0, 30)], rounds: 1), null, CancellationToken.None);

        RoundSummary round = Assert.Single(result.Rounds);
        Assert.Equal(0.875, round.MeanValidationAccuracy, 1e-9);
        Assert.Equal(0.125, round.MeanValidationLoss, 1e-9);
    }
}
