using System.Collections;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Tests.Rounds;

/// <summary>Secure aggregation through the agent contract: the agents mask, the coordinator sees only masked vectors and the sum.</summary>
public sealed class SecureAgentRoundTests : IDisposable
{
    private static readonly FederatedTrainerOptions Plain = new() { EvaluateFinalModel = false, EvaluateGlobalModelEachRound = false };
    private static readonly FederatedTrainerOptions Secure = Plain with { SecureAggregation = true };

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_CoordinatorReceivesOnlyMaskedVectors_WhenSecureAggregationIsOn()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        var recorders = agents.Select(a => new RecordingAgent(a)).ToList();
        FineTuningPlan plan = Plan(recorders, rounds: 2);

        FederatedRunResult secure = await new FederatedTrainer(Secure with { EvaluateGlobalModelEachRound = true }).RunAsync(plan);

        Assert.Equal(2, secure.Rounds.Count);
        foreach (RecordingAgent recorder in recorders)
        {
            List<(string Call, object Result)> returned = [.. recorder.Returned];
            Assert.DoesNotContain(returned, r => r.Call == nameof(IFederatedAgent.TrainLocalAsync));
            Assert.Equal(2, returned.Count(r => r.Call == nameof(IFederatedAgent.TrainMaskedAsync)));
            Assert.Equal(2, returned.Count(r => r.Call == nameof(IFederatedAgent.UnmaskAsync)));
            Assert.All(returned, r => AssertHoldsNoPlainWeights(r.Result, r.Call));

            // A plain fixed-point change of these small models decodes to |v| < 10; a masked value is uniform over 2⁶⁴.
            ulong[] masked = [.. returned.Select(r => r.Result).OfType<MaskedModelUpdate>().SelectMany(u => u.Masked)];
            double small = masked.Count(v => Math.Abs(FixedPoint.Decode(v)) < 1e6) / (double)masked.Length;
            Assert.True(small < 0.01, $"{small:P1} of the masked values decode to small numbers");

            // And their top four bits are uniform: χ² with 15 degrees of freedom under 44.6 (p = 10⁻⁴).
            var buckets = new int[16];
            foreach (ulong v in masked)
            {
                buckets[v >> 60]++;
            }

            double expected = masked.Length / 16.0;
            double chiSquare = buckets.Sum(b => (b - expected) * (b - expected) / expected);
            Assert.True(chiSquare < 44.6, $"χ² = {chiSquare:F1}, buckets {string.Join(",", buckets)}");
        }
    }

    [Fact]
    public async Task RunAsync_UnmasksExactlyThePlainFixedPointSum_WhenAgentsSendKnownChanges()
    {
        float[] deltas = [0.125f, -0.3f, 0.07f];
        int[] samples = [10, 25, 40];
        var agents = deltas.Select((d, i) => new FakeAgent($"f{i}") { Delta = d, SampleCount = samples[i], Secure = true }).ToList();
        FineTuningPlan plan = Plan(agents, rounds: 1);

        FederatedRunResult run = await new FederatedTrainer(Secure).RunAsync(plan);

        // The expected mean from the plain fixed-point sum Σ enc(n·Δ) over Σ enc(n), mod 2⁶⁴, decoded as the coordinator does.
        WeightSet initial = TestData.Weights(plan.InitialWeights);
        ulong count = samples.Aggregate(0UL, (sum, n) => unchecked(sum + FixedPoint.Encode(n)));
        foreach (NamedTensor tensor in initial)
        {
            float[] expected = [.. tensor.Data.Select(w =>
            {
                ulong sum = deltas.Select((d, i) => FixedPoint.Encode((double)samples[i] * ((w + d) - w))).Aggregate(0UL, (a, b) => unchecked(a + b));
                return (float)(w + (FixedPoint.Decode(sum) / FixedPoint.Decode(count)));
            })];
            Assert.Equal(expected, run.FinalWeights[tensor.Name].Data);
        }
    }

    [Fact]
    public async Task RunAsync_MatchesPlainFedAvg_WhenAgentsMaskTheirOwnUpdates()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        FineTuningPlan plan = Plan(agents, rounds: 2);

        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(plan);
        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(plan);

        AssertClose(plain.FinalWeights, secure.FinalWeights);
        Assert.All(secure.Rounds, r =>
        {
            Assert.True(r.SecureAggregationBytes > 0 && r.TotalBytes > r.SecureAggregationBytes);
            Assert.Equal(r.TotalBytes, r.Traffic.Sum(t => t.BytesToPartner + t.BytesFromPartner));
            // Each partner sent its keys, its sealed shares, a masked vector of 8 bytes a value and its unmasking shares.
            Assert.All(r.Traffic, t => Assert.True(t.BytesFromPartner > 8 * 4 * (8 + 1), $"{t.PartnerId}: {t.BytesFromPartner} bytes"));
        });
    }

    [Fact]
    public async Task RunAsync_WorksOverJsonMessages_AsAnHttpAgentWouldCarryThem()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        var wired = agents.Select(a => new JsonWireAgent(a)).ToList();

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(Plan(wired, rounds: 2));
        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(Plan(agents, rounds: 2));

        AssertClose(plain.FinalWeights, secure.FinalWeights);
        Assert.All(wired, w => Assert.True(w.JsonBytes > 0));
    }

    [Theory]
    [InlineData(SecureStep.AdvertiseKeys)]
    [InlineData(SecureStep.ShareKeys)]
    [InlineData(SecureStep.TrainMasked)]
    [InlineData(SecureStep.Unmask)]
    public async Task RunAsync_LeavesTheExactSumOfTheOthers_WhenAnAgentVanishesAtAStep(SecureStep step)
    {
        List<InProcessAgent> agents = await AgentsAsync(4);
        var vanishing = new VanishingSecureAgent(agents[3], step);
        List<IFederatedAgent> secureAgents = [.. agents.Take(3), vanishing];

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(Plan(secureAgents, rounds: 1));

        // Until it has sent its masked update, the vanished partner is left out; after that its update is in the sum.
        bool counted = step == SecureStep.Unmask;
        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(Plan(counted ? agents : agents.Take(3), rounds: 1));
        AssertClose(plain.FinalWeights, secure.FinalWeights);
        RoundSummary round = Assert.Single(secure.Rounds);
        Assert.Equal(counted ? 4 : 3, round.Clients.Count);
        Assert.Equal(counted ? 0 : 1, round.Dropped.Count(d => d.PartnerId == "p3"));
    }

    [Fact]
    public async Task RunAsync_LeavesOutALateMaskedUpdate_WhenItsAgentMissesTheDeadline()
    {
        List<InProcessAgent> agents = await AgentsAsync(4);
        var late = new LateMaskingAgent(agents[3]);

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(Plan([.. agents.Take(3), late], rounds: 1) with { RoundDeadline = TimeSpan.FromSeconds(10) });
        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(Plan(agents.Take(3), rounds: 1));

        AssertClose(plain.FinalWeights, secure.FinalWeights);
        Assert.Contains("did not answer within", Assert.Single(Assert.Single(secure.Rounds).Dropped).Reason, StringComparison.Ordinal);
        Assert.True(await late.Cancelled.Task, "the late agent's call was told to stop");
    }

    [Fact]
    public async Task RunAsync_AbortsWithoutAskingAnyoneToUnmask_WhenMaskedUpdatesFallBelowTheThreshold()
    {
        List<InProcessAgent> agents = await AgentsAsync(4);
        var wrapped = agents.Select((a, i) => new VanishingSecureAgent(a, i >= 2 ? SecureStep.TrainMasked : null)).ToList();

        FederationFailedException error = await Assert.ThrowsAsync<FederationFailedException>(
            () => new FederatedTrainer(Secure).RunAsync(Plan(wrapped, rounds: 1)));

        // Four selected: the threshold is 3; two masked updates came, so the round aborts before step 3.
        Assert.Contains("secure aggregation aborted", error.Message, StringComparison.Ordinal);
        Assert.Contains("nobody is asked to unmask", error.Message, StringComparison.Ordinal);
        Assert.All(wrapped, w => Assert.Equal(0, w.Calls(SecureStep.Unmask)));
    }

    [Fact]
    public async Task RunAsync_RetriesWithFreshKeys_WhenTheFirstAttemptAbortsBelowTheThreshold()
    {
        List<InProcessAgent> agents = await AgentsAsync(4);
        var wrapped = agents.Select((a, i) => new VanishingSecureAgent(a, i >= 2 ? SecureStep.ShareKeys : null) { Attempts = new HashSet<int> { 1 } }).ToList();

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(Plan(wrapped, rounds: 1) with { MaxRoundAttempts = 2 });
        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(Plan(agents, rounds: 1));

        RoundSummary round = Assert.Single(secure.Rounds);
        Assert.Equal(2, round.Attempts);
        AssertClose(plain.FinalWeights, secure.FinalWeights);
        Assert.All(wrapped, w => Assert.Equal(2, w.Calls(SecureStep.AdvertiseKeys)));
    }

    [Fact]
    public async Task RunAsync_RefusesUpFront_WhenAnAgentCannotMaskItsUpdate()
    {
        List<InProcessAgent> agents = await AgentsAsync(2);
        var legacy = new FakeAgent("legacy");
        List<IFederatedAgent> all = [.. agents, legacy];

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => new FederatedTrainer(Secure).RunAsync(Plan(all, rounds: 1)));

        Assert.Contains("'legacy' does not support it", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, legacy.TrainCalls);
    }

    [Fact]
    public async Task RunAsync_DropsTheUpdateAtItsAgent_WhenItHoldsNonFiniteValues()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        var poisoned = new PoisonedStartAgent(agents[2]);
        List<IFederatedAgent> all = [.. agents.Take(2), poisoned];

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(Plan(all, rounds: 1));
        FederatedRunResult plain = await new FederatedTrainer(Plain).RunAsync(Plan(agents.Take(2), rounds: 1));

        DroppedParticipant dropped = Assert.Single(Assert.Single(secure.Rounds).Dropped);
        Assert.Equal("p2", dropped.PartnerId);
        Assert.Contains("rejected by its agent", dropped.Reason, StringComparison.Ordinal);
        Assert.Contains("non-finite", dropped.Reason, StringComparison.Ordinal);
        AssertClose(plain.FinalWeights, secure.FinalWeights);
    }

    [Fact]
    public async Task RunAsync_ClipsAtTheAgents_WhenTheNormBoundIsSetUnderSecureAggregation()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        FineTuningPlan plan = Plan(agents, rounds: 1) with { MaxUpdateNorm = 1e-3 };
        var observer = new RecordingObserver();

        FederatedRunResult secure = await new FederatedTrainer(Secure).RunAsync(plan, observer);

        // The coordinator cannot measure a masked update: each agent scales its own change down to the bound, so the
        // mean moves by no more than the bound, where plain mode would reject every one of these updates.
        WeightSet initial = TestData.Weights(plan.InitialWeights);
        double squared = secure.FinalWeights.Sum(t => t.Data.Select((v, i) => Math.Pow(v - initial[t.Name].Data[i], 2)).Sum());
        Assert.InRange(Math.Sqrt(squared), 1e-5, 1e-3 + 1e-5);
        Assert.Empty(Assert.Single(secure.Rounds).Dropped);
        Assert.Equal(3, observer.Warnings.Count(w => w.Contains("clipped its update", StringComparison.Ordinal)));
        await Assert.ThrowsAsync<FederationFailedException>(() => new FederatedTrainer(Plain).RunAsync(plan));
    }

    [Fact]
    public async Task RunAsync_AddsTheNoiseAtTheAgents_WhenDifferentialPrivacyMeetsSecureAggregation()
    {
        List<InProcessAgent> agents = await AgentsAsync(3);
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 64, classes: 3, seed: 9);
        FineTuningPlan plan = Plan(agents, rounds: 1) with { ArchitectureJson = architecture.ToJson(), InitialWeights = TestData.Bytes(initial) };
        var privacy = new DifferentialPrivacyOptions { NoiseMultiplier = 4, ClipNorm = 0.05 };

        FederatedRunResult run = await new FederatedTrainer(Secure with { Privacy = privacy }).RunAsync(plan);

        // Three agents, threshold 2: each adds z·C/√2 per coordinate, so the mean of the three moves by the clipped
        // changes (norm ≤ C over 515 values, about 0.002 each) plus noise of z·C·√(3/2)/3 ≈ 0.082 per coordinate.
        double[] moves = [.. run.FinalWeights.SelectMany(t => t.Data.Select((v, i) => (double)v - initial[t.Name].Data[i]))];
        double deviation = Math.Sqrt(moves.Sum(m => m * m) / moves.Length);
        double expected = 4 * 0.05 * Math.Sqrt(1.5) / 3;
        Assert.InRange(deviation, expected * 0.85, expected * 1.15); // 515 values: the estimate's spread is about 3%
        RoundSummary round = Assert.Single(run.Rounds);
        Assert.Equal(RdpAccountant.GetEpsilon(1.0, 4, 1, privacy.Delta).Epsilon, round.Epsilon!.Value, 12);
        Assert.Equal(0.05, round.ClipNorm);
    }

    [Fact]
    public void Constructor_RefusesAdaptiveClipping_WithSecureAggregation()
    {
        var error = Assert.Throws<ArgumentException>(() => new FederatedTrainer(Secure with { Privacy = new DifferentialPrivacyOptions { AdaptiveClipping = true, CountNoiseStandardDeviation = 1 } }));

        Assert.Contains("adaptive clipping", error.Message, StringComparison.Ordinal);
    }

    private async Task<List<InProcessAgent>> AgentsAsync(int count)
    {
        var agents = new List<InProcessAgent>();
        for (int i = 0; i < count; i++)
        {
            var agent = new InProcessAgent($"p{i}", _temp.Sub($"p{i}"));
            await agent.RegisterDomainAsync(
                "d", TestData.ToCsv(TestData.Synthetic(rows: 90 + (10 * i), features: 4, classes: 3, seed: 60 + i)), "label", new SummaryOptions { EmbeddingDimension = 8 }, CancellationToken.None);
            agents.Add(agent);
        }

        return agents;
    }

    private static FineTuningPlan Plan(IEnumerable<IFederatedAgent> agents, int rounds)
    {
        (ModelArchitecture architecture, WeightSet initial) = TestData.SmallMlp(inputs: 4, hidden: 8, classes: 3, seed: 9);
        return new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = TestData.Bytes(initial),
            Rounds = rounds,
            Local = new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.05f, Seed = 4 },
            Participants = [.. agents.Select(a => new Participant(a.PartnerId, "d", a))],
            RunId = "secure-run",
        };
    }

    private static void AssertClose(WeightSet expected, WeightSet actual)
    {
        // Same local training, same sample-weighted mean: only the fixed-point rounding of the masked sum differs.
        foreach (NamedTensor tensor in expected)
        {
            float[] other = actual[tensor.Name].Data;
            Assert.All(tensor.Data.Select((v, i) => Math.Abs(v - other[i])), d => Assert.True(d < 1e-4, $"{tensor.Name} differs by {d}"));
        }
    }

    /// <summary>Fails if <paramref name="value"/>'s object graph holds plain weights: a float array, a weight set or a plain update.</summary>
    private static void AssertHoldsNoPlainWeights(object? value, string call)
    {
        switch (value)
        {
            case null or string or byte[] or ulong[] or int or long or double or bool:
                return;
            case float[] or WeightSet or NamedTensor or ModelUpdate:
                Assert.Fail($"{call} returned plain weights ({value.GetType().Name}).");
                return;
            case IDictionary dictionary:
                foreach (object? item in dictionary.Values)
                {
                    AssertHoldsNoPlainWeights(item, call);
                }

                return;
            case IEnumerable items:
                foreach (object? item in items)
                {
                    AssertHoldsNoPlainWeights(item, call);
                }

                return;
        }

        if (value.GetType().Namespace?.StartsWith("FTLPortal", StringComparison.Ordinal) == true)
        {
            foreach (System.Reflection.PropertyInfo property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
            {
                AssertHoldsNoPlainWeights(property.GetValue(value), call);
            }
        }
    }

    /// <summary>A real agent whose training never ends: it waits until its call is cancelled, and says whether it was.</summary>
    private sealed class LateMaskingAgent(IFederatedAgent inner) : ForwardingAgent(inner)
    {
        public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                Cancelled.TrySetResult(ct.IsCancellationRequested);
            }

            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>A real agent handed a global model poisoned with a NaN: its training diverges, and the agent must not send it.</summary>
    private sealed class PoisonedStartAgent(IFederatedAgent inner) : ForwardingAgent(inner)
    {
        public override Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
        {
            WeightSet global = TestData.Weights(request.Training.GlobalWeights);
            global.First().Data[0] = float.NaN;
            return Inner.TrainMaskedAsync(request with { Training = request.Training with { GlobalWeights = TestData.Bytes(global) } }, ct);
        }
    }
}
