using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Tests.SecureAggregation;

public class SecureAggregationTests
{
    private static Dictionary<int, ulong[]> Inputs(int clients, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(1, clients).ToDictionary(
            id => id,
            _ => Enumerable.Range(0, length).Select(_ => FixedPoint.Encode((random.NextDouble() - 0.5) * 20)).ToArray());
    }

    private static ulong[] PlainSum(IEnumerable<ulong[]> vectors, int length)
    {
        var sum = new ulong[length];
        foreach (ulong[] v in vectors)
        {
            for (int i = 0; i < length; i++)
            {
                sum[i] = unchecked(sum[i] + v[i]);
            }
        }

        return sum;
    }

    [Fact]
    public void Run_EqualsPlainFixedPointSumExactly_WhenNobodyDrops()
    {
        Dictionary<int, ulong[]> inputs = Inputs(clients: 6, length: 1000, seed: 1);

        SecureAggregationResult result = SecureAggregationRound.Run(inputs, threshold: 4, roundTag: "job-1/round-1");

        Assert.Equal(PlainSum(inputs.Values, 1000), result.Sum);
        Assert.Equal([1, 2, 3, 4, 5, 6], result.Survivors.Order());
    }

    [Fact]
    public void Run_LeavesExactSumOfOthers_WhenClientDropsAfterMasking()
    {
        Dictionary<int, ulong[]> inputs = Inputs(clients: 6, length: 500, seed: 2);

        // Client 3 masked its input but it never arrived; client 5 sent it and then went quiet during unmasking.
        SecureAggregationResult result = SecureAggregationRound.Run(
            inputs, threshold: 4, roundTag: "r", dropBeforeInput: new HashSet<int> { 3 }, dropBeforeUnmasking: new HashSet<int> { 5 });

        Assert.Equal(PlainSum(inputs.Where(p => p.Key != 3).Select(p => p.Value), 500), result.Sum);
        Assert.DoesNotContain(3, result.Survivors);
    }

    [Fact]
    public void Run_LeavesExactSumOfOthers_WhenClientDropsBeforeSharingKeys()
    {
        Dictionary<int, ulong[]> inputs = Inputs(clients: 5, length: 100, seed: 3);

        SecureAggregationResult result = SecureAggregationRound.Run(inputs, threshold: 3, roundTag: "r", dropBeforeSharing: new HashSet<int> { 1 });

        Assert.Equal(PlainSum(inputs.Where(p => p.Key != 1).Select(p => p.Value), 100), result.Sum);
    }

    [Fact]
    public void Run_AbortsWithoutRevealing_WhenSurvivorsFallBelowThreshold()
    {
        Dictionary<int, ulong[]> inputs = Inputs(clients: 5, length: 50, seed: 4);

        SecureAggregationAbortedException error = Assert.Throws<SecureAggregationAbortedException>(() => SecureAggregationRound.Run(
            inputs, threshold: 3, roundTag: "r", dropBeforeInput: new HashSet<int> { 1, 2, 3 }));

        Assert.Contains("needs at least 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finish_GivesThePlainSum_WhenMaskedInputsArriveOnManyThreadsAtOnce()
    {
        // Agents answer concurrently, so the coordinator adds masked vectors from several threads; a running sum without
        // a lock lost additions (found by bench/run.sh federation with 100 agents: "the unmasked sample count is -2.99e12").
        const string Tag = "concurrent";
        const int Clients = 8, Length = 200_000;
        var clients = Enumerable.Range(1, Clients).Select(id => new SecureAggregationClient(id, 5, Tag)).ToList();
        var server = new SecureAggregationServer(5, Length, Tag);
        IReadOnlyList<KeyAdvertisement> roster = server.CollectAdvertisements(clients.Select(c => c.Advertise()));
        IReadOnlyDictionary<int, IReadOnlyList<EncryptedShares>> routed = server.RouteShares(clients.SelectMany(c => c.ShareKeys(roster)).ToList());
        ulong[][] inputs = [.. clients.Select(c => Enumerable.Range(0, Length).Select(i => FixedPoint.Encode((c.ClientId * 0.25) + (i % 7))).ToArray())];
        ulong[][] masked = [.. clients.Select((c, k) => c.MaskInput(routed[c.ClientId], inputs[k]))];

        using var barrier = new Barrier(Clients);
        Parallel.For(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = Clients }, k =>
        {
            barrier.SignalAndWait();
            server.AddMaskedInput(clients[k].ClientId, masked[k]);
        });
        IReadOnlyCollection<int> survivors = server.UnmaskingRequest();
        ulong[] sum = server.Finish([.. clients.Select(c => c.Unmask(survivors))]);

        Assert.Equal(Clients, survivors.Count);
        ulong[] expected = new ulong[Length];
        foreach (ulong[] input in inputs)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(expected, input, expected);
        }

        Assert.Equal(expected, sum);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Unmask_RefusesAndServerCannotFinish_WhenTooFewSurvivorsAnswer()
    {
        const string Tag = "r";
        var clients = Enumerable.Range(1, 4).Select(id => new SecureAggregationClient(id, 3, Tag)).ToList();
        var server = new SecureAggregationServer(3, 8, Tag);
        IReadOnlyList<KeyAdvertisement> roster = server.CollectAdvertisements(clients.Select(c => c.Advertise()));
        IReadOnlyDictionary<int, IReadOnlyList<EncryptedShares>> routed = server.RouteShares(clients.SelectMany(c => c.ShareKeys(roster)).ToList());
        ulong[] secret = [.. Enumerable.Range(0, 8).Select(i => FixedPoint.Encode(i + 0.5))];
        foreach (SecureAggregationClient client in clients)
        {
            ulong[] masked = client.MaskInput(routed[client.ClientId], client.ClientId == 1 ? secret : new ulong[8]);
            server.AddMaskedInput(client.ClientId, masked);
        }

        // A server that pretends only clients 1 and 2 survived (below t = 3) gets no shares at all.
        Assert.Throws<SecureAggregationAbortedException>(() => clients[1].Unmask([1, 2]));

        // Only two survivors answer the honest request: the server cannot rebuild any self mask, so nothing is unmasked.
        IReadOnlyCollection<int> survivors = server.UnmaskingRequest();
        Assert.Throws<SecureAggregationAbortedException>(() => server.Finish([clients[0].Unmask(survivors), clients[1].Unmask(survivors)]));

        // A client never hands out both secrets of one client: survivors get self-seed shares only, the dropped key shares only.
        UnmaskingResponse response = clients[2].Unmask([1, 2, 3]);
        Assert.Equal([1, 2, 3], response.SelfMaskSeedShares.Keys.Order());
        Assert.Equal([4], response.MaskKeyShares.Keys);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public void MaskInput_LooksUniformAndUncorrelated_WhenTrueUpdateVaries()
    {
        // Over many rounds, client 1's masked value of a coordinate is compared with its true value (drawn from a
        // narrow, a wide and a constant range): the top four bits of the masked value must be uniform (χ², 15 degrees
        // of freedom, 0.1% critical value 37.7) and its correlation with the true value about 0.
        const int Rounds = 150, Length = 32;
        var random = new Random(5);
        var buckets = new int[16];
        var truth = new List<double>();
        var masked = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            var clients = Enumerable.Range(1, 3).Select(id => new SecureAggregationClient(id, 2, $"round-{round}")).ToList();
            var roster = clients.Select(c => c.Advertise()).ToList();
            var shares = clients.SelectMany(c => c.ShareKeys(roster)).ToList();
            double scale = (round % 3) switch { 0 => 0.01, 1 => 1000, _ => 0 };
            ulong[] input = [.. Enumerable.Range(0, Length).Select(_ => FixedPoint.Encode(random.NextDouble() * scale))];
            ulong[] output = clients[0].MaskInput(shares.Where(s => s.To == 1).ToList(), input);
            for (int i = 0; i < Length; i++)
            {
                buckets[output[i] >> 60]++;
                truth.Add(FixedPoint.Decode(input[i]));
                masked.Add(output[i]);
            }

            clients.ForEach(c => c.Dispose());
        }

        double expected = Rounds * Length / 16.0;
        double chiSquare = buckets.Sum(b => (b - expected) * (b - expected) / expected);
        Assert.True(chiSquare < 37.7, $"χ² = {chiSquare:F1}, buckets {string.Join(",", buckets)}");
        double correlation = Correlation(truth, masked);
        Assert.True(Math.Abs(correlation) < 0.06, $"correlation {correlation:F3}");
    }

    [Fact]
    public void WeightedMean_ComposesWithFedAvgAndFedAdam_WhenAppliedThroughApplyMean()
    {
        var current = new WeightSet { new NamedTensor("frozen.weight", [2], [5f, 6f]), new NamedTensor("head.weight", [3], [0.1f, -0.2f, 0.3f]) };
        var random = new Random(6);
        var updates = Enumerable.Range(0, 5).Select(i => new ClientUpdate(
            $"p{i}", 10 * (i + 1), new WeightSet { new NamedTensor("head.weight", [3], [.. Enumerable.Range(0, 3).Select(_ => (float)random.NextDouble())]) }))
            .ToList();

        (WeightSet mean, SecureAggregationResult protocol) = SecureAggregationRound.WeightedMean(current, updates, threshold: 3, roundTag: "r");

        WeightSet plainAvg = new FederatedAveraging().Aggregate(current, updates);
        WeightSet secureAvg = new FederatedAveraging().ApplyMean(current, mean);
        WeightSet plainAdam = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam).Aggregate(current, updates);
        WeightSet secureAdam = new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Adam).ApplyMean(current, mean);
        foreach ((WeightSet plain, WeightSet secure) in new[] { (plainAvg, secureAvg), (plainAdam, secureAdam) })
        {
            Assert.Equal([5f, 6f], secure["frozen.weight"].Data);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(plain["head.weight"].Data[i], secure["head.weight"].Data[i], 1e-5f);
            }
        }

        Assert.Equal(5, protocol.Survivors.Count);
        Assert.True(protocol.BytesIn > 0 && protocol.BytesOut > 0);
    }

    [Fact]
    public void EnsureCompatible_ThrowsClearMessage_WhenStrategyNeedsPlainUpdates()
    {
        SecureAggregationRound.EnsureCompatible(new FederatedAveraging());
        SecureAggregationRound.EnsureCompatible(new FederatedAdaptiveOptimization(AdaptiveServerOptimizer.Yogi));

        ArgumentException error = Assert.Throws<ArgumentException>(() => SecureAggregationRound.EnsureCompatible(new Krum(1)));
        Assert.Contains("exclude each other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_RebuildsSecretOnlyFromThreshold_WhenSharesGiven()
    {
        byte[] secret = [.. Enumerable.Range(0, 40).Select(i => (byte)(i * 7))];
        byte[][] shares = ShamirSecretSharing.Split(secret, threshold: 3, count: 5);

        Assert.Equal(secret, ShamirSecretSharing.Combine([(2, shares[1]), (4, shares[3]), (5, shares[4])]));
        Assert.Equal(secret, ShamirSecretSharing.Combine([(1, shares[0]), (2, shares[1]), (3, shares[2]), (4, shares[3])]));
        Assert.NotEqual(secret, ShamirSecretSharing.Combine([(1, shares[0]), (3, shares[2])]));
    }

    [Fact]
    public void Encode_RoundTripsAndWrapsExactly_WhenNegativeValuesSummed()
    {
        ulong sum = unchecked(FixedPoint.Encode(-3.25) + FixedPoint.Encode(1.5));

        Assert.Equal(-1.75, FixedPoint.Decode(sum));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Encode(1e14));
    }

    private static double Correlation(List<double> x, List<double> y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        double sxx = x.Sum(v => (v - mx) * (v - mx)), syy = y.Sum(v => (v - my) * (v - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
