using System.Diagnostics;
using System.Globalization;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.Rounds;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Benchmarks;

/// <summary>
/// bench/run.sh federation: aggregation bandwidth against memcpy, a round's coordinator cost with simulated clients,
/// secure aggregation's cost and traffic against a plain round, and the DP accountant beside published values.
/// </summary>
internal static class FederationBenchmark
{
    public static void Run()
    {
        AggregationBandwidth();
        foreach (int clients in new[] { 10, 100, 1000 })
        {
            Print($"round_overhead_ms_{clients}", RoundOverheadMs(clients));
        }

        SecureAggregationOverhead(10, 100_000);
        SecureAggregationOverhead(100, 100_000);
        Accountant();
    }

    private static void AggregationBandwidth()
    {
        const int Clients = 10, Length = 1 << 20;
        var random = new Random(1);
        var current = new WeightSet { new NamedTensor("layer.weight", [Length], new float[Length]) };
        var updates = Enumerable.Range(0, Clients).Select(c => new ClientUpdate(
            $"p{c}", 100 + c, new WeightSet { new NamedTensor("layer.weight", [Length], [.. Enumerable.Range(0, Length).Select(_ => (float)random.NextDouble())]) }))
            .ToList();
        var strategy = new FederatedAveraging();
        float[] source = new float[Clients * Length];
        float[] target = new float[Clients * Length];
        double bytes = (double)Clients * Length * sizeof(float);

        // Interleave the two so the load of the moment hits both; best of 15 after warm-up.
        // The trainer's steady state: the result goes into the buffers of the previous global model (AggregateInto).
        var destination = new WeightSet { new NamedTensor("layer.weight", [Length], new float[Length]) };
        double bestAggregate = double.MaxValue, bestCopy = double.MaxValue, bestKernel = double.MaxValue, bestFresh = double.MaxValue;
        float[] kernelSum = new float[Length];
        for (int i = 0; i < 18; i++)
        {
            long kernelStart = Stopwatch.GetTimestamp();
            kernelSum.AsSpan().Clear();
            foreach (ClientUpdate u in updates)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(u.Weights["layer.weight"].Data, 0.1f, kernelSum, kernelSum);
            }

            bestKernel = Math.Min(bestKernel, Stopwatch.GetElapsedTime(kernelStart).TotalSeconds);
            long start = Stopwatch.GetTimestamp();
            strategy.AggregateInto(current, updates, destination);
            double aggregate = Stopwatch.GetElapsedTime(start).TotalSeconds;
            start = Stopwatch.GetTimestamp();
            strategy.Aggregate(current, updates);
            bestFresh = Math.Min(bestFresh, Stopwatch.GetElapsedTime(start).TotalSeconds);
            start = Stopwatch.GetTimestamp();
            source.AsSpan().CopyTo(target);
            double copy = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (i >= 3)
            {
                bestAggregate = Math.Min(bestAggregate, aggregate);
                bestCopy = Math.Min(bestCopy, copy);
            }
        }

        double aggregateGbps = bytes / bestAggregate / 1e9;
        double copyGbps = bytes / bestCopy / 1e9;
        Print("fedavg_10x1M_gbps", aggregateGbps);
        Print("memcpy_40MB_gbps", copyGbps);
        Print("fedavg_kernel_only_gbps", bytes / bestKernel / 1e9);
        Print("fedavg_10x1M_fresh_output_gbps", bytes / bestFresh / 1e9);
        Print("fedavg_ratio_vs_memcpy", aggregateGbps / copyGbps);
    }

    private static double RoundOverheadMs(int clients)
    {
        // A 32-64-10 MLP (2,762 parameters): the round's coordinator work (encode, fan-out, decode, validate, aggregate, hash).
        ModelArchitecture architecture = ModelArchitecture.Mlp(32, [64], [.. Enumerable.Range(0, 10).Select(c => $"c{c}")]);
        WeightSet weights = SequentialModel.Create(architecture, 1).GetWeights();
        var agents = Enumerable.Range(0, clients).Select(c => new SimulatedAgent($"p{c}", weights, c)).ToList();
        int rounds = clients >= 1000 ? 3 : 10;
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = SafeTensorsFormat.ToBytes(weights),
            Rounds = rounds + 1,
            Local = new TrainingOptions { Epochs = 1 },
            Participants = agents.Select(a => new Participant(a.PartnerId, "d", a)).ToList(),
        };
        var trainer = new FederatedTrainer(new FederatedTrainerOptions { EvaluateFinalModel = false });
        var timer = new RoundTimer();
        trainer.RunAsync(plan, timer).GetAwaiter().GetResult();
        return timer.Durations.Skip(1).Average(); // the first round warms up
    }

    private static void SecureAggregationOverhead(int clients, int length)
    {
        // Rounds through the trainer with instant simulated clients on a model of about `length` parameters, plain and
        // secure: the secure round runs the whole protocol over the agent contract (keys, sealed shares, each agent's
        // fixed-point encoding and masking, the coordinator's running sum and unmasking), clients and coordinator in
        // this one process, so the clients' masking (k - 1 pairwise masks each) is in the figure too.
        int hidden = length / 100;
        ModelArchitecture architecture = ModelArchitecture.Mlp(96, [hidden], ["a", "b", "c", "d"]);
        WeightSet weights = SequentialModel.Create(architecture, 2).GetWeights();
        var agents = Enumerable.Range(0, clients).Select(c => new SimulatedAgent($"p{c}", weights, c)).ToList();
        var plan = new FineTuningPlan
        {
            ArchitectureJson = architecture.ToJson(),
            InitialWeights = SafeTensorsFormat.ToBytes(weights),
            Rounds = 3,
            Local = new TrainingOptions { Epochs = 1 },
            Participants = agents.Select(a => new Participant(a.PartnerId, "d", a)).ToList(),
            MinParticipants = 2,
        };
        var options = new FederatedTrainerOptions { EvaluateFinalModel = false, EvaluateGlobalModelEachRound = false };
        (double plain, RoundSummary plainRound) = TimedRounds(plan, options);
        (double secure, RoundSummary secureRound) = TimedRounds(plan, options with { SecureAggregation = true });

        string size = $"{clients}x{length / 1000}k";
        Print($"secagg_plain_round_ms_{size}", plain);
        Print($"secagg_round_ms_{size}", secure);
        Print($"secagg_overhead_ratio_{size}", secure / plain);
        Print($"secagg_comm_expansion_{size}", secureRound.TotalBytes / (double)plainRound.TotalBytes);
        Print($"secagg_upload_expansion_{size}", secureRound.Traffic.Sum(t => t.BytesFromPartner) / (double)plainRound.Traffic.Sum(t => t.BytesFromPartner));
    }

    /// <summary>The mean duration of the rounds after the first (a warm-up) and the last round's summary.</summary>
    private static (double Milliseconds, RoundSummary Last) TimedRounds(FineTuningPlan plan, FederatedTrainerOptions options)
    {
        var timer = new RoundTimer();
        FederatedRunResult result = new FederatedTrainer(options).RunAsync(plan, timer).GetAwaiter().GetResult();
        return (timer.Durations.Skip(1).Average(), result.Rounds[^1]);
    }

    private static void Accountant()
    {
        // pytorch/opacus opacus/tests/accountants_test.py: σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 → ε = 7.32911117143.
        Print("dp_accountant_eps_opacus_s1.5_q0.04_t2250_d1e-5", RdpAccountant.GetEpsilon(0.04, 1.5, 2250, 1e-5).Epsilon);
        Print("dp_accountant_eps_opacus_s1.5_q0.04_t2250_d1e-5_published", 7.32911117143);
        // tensorflow/privacy rdp_accountant_test.py: RDP(q = 0.1, σ = 2, 10 steps, α = 5) = 0.07737 and (q = 0.01, σ = 2.5, 50 steps, α = 2.5) = 0.001085.
        Print("dp_accountant_rdp_tfp_q0.1_s2_t10_a5", RdpAccountant.ComputeRdp(0.1, 2, 10, 5));
        Print("dp_accountant_rdp_tfp_q0.1_s2_t10_a5_published", 0.07737);
        Print("dp_accountant_rdp_tfp_q0.01_s2.5_t50_a2.5", RdpAccountant.ComputeRdp(0.01, 2.5, 50, 2.5));
        Print("dp_accountant_rdp_tfp_q0.01_s2.5_t50_a2.5_published", 0.001085);
        // A federated configuration (no published value): 10% of partners a round, z = 1, 100 rounds, δ = 1e-5.
        Print("dp_accountant_eps_fl_s1_q0.1_t100_d1e-5", RdpAccountant.GetEpsilon(0.1, 1.0, 100, 1e-5).Epsilon);
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:G6}"));

    private sealed class RoundTimer : IFederationObserver
    {
        private long _start;

        public List<double> Durations { get; } = [];

        public void RoundStarted(int round) => _start = Stopwatch.GetTimestamp();

        public void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors) =>
            Durations.Add(Stopwatch.GetElapsedTime(_start).TotalMilliseconds);
    }

    /// <summary>A client whose "training" is instant: it returns a fixed perturbation of the model's trainable tensors.</summary>
    private sealed class SimulatedAgent : IFederatedAgent
    {
        private readonly WeightSet _weights;
        private readonly byte[] _update;
        private readonly SecureAggregationSessions _secure = new();

        public SimulatedAgent(string partnerId, WeightSet weights, int seed)
        {
            PartnerId = partnerId;
            var random = new Random(seed);
            _weights = new WeightSet(weights.Select(t =>
                new NamedTensor(t.Name, t.Shape, [.. t.Data.Select(v => v + (float)((random.NextDouble() - 0.5) * 0.01))])));
            _update = SafeTensorsFormat.ToBytes(_weights);
        }

        public string PartnerId { get; }

        public bool SupportsSecureAggregation => true;

        public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) => Task.FromResult(_secure.Advertise(request));

        public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) => Task.FromResult(_secure.Share(request));

        public Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
        {
            // What a real agent does after training: decode the global model, encode the change, mask it.
            WeightSet global = SafeTensorsFormat.FromBytes(request.Training.GlobalWeights);
            (ulong[] input, _) = FixedPointUpdate.Encode(global, _weights, request.Tensors, 100, request.MaxUpdateNorm);
            ulong[] masked = _secure.Mask(request.Session, request.Shares, input);
            return Task.FromResult(new MaskedModelUpdate(PartnerId, request.Training.Round, _secure.ClientId(request.Session), 100, masked, 0.5, new EvaluationResult(0.5, 0.8, 20)));
        }

        public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) => Task.FromResult(_secure.Unmask(request));

        public Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct) =>
            Task.FromResult(new ModelUpdate(PartnerId, request.Round, 100, _update, 0.5, new EvaluationResult(0.5, 0.8, 20)));

        public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct) => throw new NotSupportedException();

        public Task<DomainSummary> RegisterDomainAsync(string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> HasDomainAsync(string domainId, CancellationToken ct) => Task.FromResult(true);

        public Task DeleteDomainAsync(string domainId, CancellationToken ct) => Task.CompletedTask;

        public Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct) =>
            throw new NotSupportedException();
    }
}
