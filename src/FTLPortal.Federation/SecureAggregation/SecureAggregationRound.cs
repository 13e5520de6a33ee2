using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.SecureAggregation;

/// <summary>
/// The protocol with every client in this process (protocol tests; the trainer runs it over the agent contract instead,
/// <c>Rounds.SecureRoundCoordinator</c>, where each agent masks its own update). Runs the four message rounds of secure aggregation between in-process clients and a server, with optional dropouts
/// at each step, and composes the result with a mean-based strategy: each client masks <c>[n·(w - w_global), n]</c> in fixed
/// point, so the server learns only <c>Σ n·Δ</c> and <c>Σ n</c>, i.e. the sample-weighted mean that FedAvg and the server
/// optimizers start from.
/// </summary>
public static class SecureAggregationRound
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="strategy"/> cannot run on a masked sum.</summary>
    public static void EnsureCompatible(IAggregationStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.RequiresIndividualUpdates)
        {
            throw new ArgumentException(
                $"Secure aggregation reveals only the sum of the updates, but strategy '{strategy.Name}' needs each plain update; "
                + "robust strategies (median, trimmed mean, Krum) and secure aggregation exclude each other. Choose FedAvg, FedAvgM, FedProx or a server optimizer.",
                nameof(strategy));
        }
    }

    /// <summary>
    /// Runs the protocol over <paramref name="inputs"/> (client id → fixed-point vector). Clients in
    /// <paramref name="dropBeforeSharing"/> leave after advertising keys, those in <paramref name="dropBeforeInput"/> after
    /// sharing keys (their masked input is lost), those in <paramref name="dropBeforeUnmasking"/> after sending it.
    /// </summary>
    public static SecureAggregationResult Run(
        IReadOnlyDictionary<int, ulong[]> inputs,
        int threshold,
        string roundTag,
        IReadOnlySet<int>? dropBeforeSharing = null,
        IReadOnlySet<int>? dropBeforeInput = null,
        IReadOnlySet<int>? dropBeforeUnmasking = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        dropBeforeSharing ??= new HashSet<int>();
        dropBeforeInput ??= new HashSet<int>();
        dropBeforeUnmasking ??= new HashSet<int>();
        int length = inputs.Count == 0 ? 0 : inputs.Values.First().Length;
        var clients = inputs.Keys.Order().ToDictionary(id => id, id => new SecureAggregationClient(id, threshold, roundTag));
        try
        {
            var server = new SecureAggregationServer(threshold, length, roundTag);
            IReadOnlyList<KeyAdvertisement> roster = server.CollectAdvertisements(clients.Values.Select(c => c.Advertise()));
            var sharing = clients.Values.Where(c => !dropBeforeSharing.Contains(c.ClientId)).ToList();
            IReadOnlyDictionary<int, IReadOnlyList<EncryptedShares>> routed = server.RouteShares(sharing.SelectMany(c => c.ShareKeys(roster)).ToList());
            foreach (SecureAggregationClient client in sharing)
            {
                ulong[] masked = client.MaskInput(routed[client.ClientId], inputs[client.ClientId]);
                if (!dropBeforeInput.Contains(client.ClientId))
                {
                    server.AddMaskedInput(client.ClientId, masked);
                }
            }

            IReadOnlyCollection<int> survivors = server.UnmaskingRequest();
            var responses = survivors.Where(id => !dropBeforeUnmasking.Contains(id)).Select(id => clients[id].Unmask(survivors)).ToList();
            ulong[] sum = server.Finish(responses);
            return new SecureAggregationResult(sum, survivors, server.BytesIn, server.BytesOut);
        }
        finally
        {
            foreach (SecureAggregationClient client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// The sample-weighted mean model of <paramref name="updates"/> computed through secure aggregation (client ids 1…n in
    /// update order), ready for <see cref="IAggregationStrategy.ApplyMean"/>. Only tensors every update carries are averaged.
    /// </summary>
    public static (WeightSet Mean, SecureAggregationResult Protocol) WeightedMean(
        WeightSet current, IReadOnlyList<ClientUpdate> updates, int threshold, string roundTag, IReadOnlySet<int>? dropBeforeInput = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updates);
        List<string> shared = [.. current.Where(t => updates.All(u => u.Weights.Contains(t.Name))).Select(t => t.Name)];
        var inputs = new Dictionary<int, ulong[]>();
        for (int i = 0; i < updates.Count; i++)
        {
            inputs[i + 1] = FixedPointUpdate.Encode(current, updates[i].Weights, shared, updates[i].SampleCount, maxNorm: null).Input;
        }

        SecureAggregationResult result = Run(inputs, threshold, roundTag, dropBeforeInput: dropBeforeInput);
        WeightSet mean = FixedPointUpdate.DecodeMean(current, shared, result.Sum);
        return (mean, result);
    }
}
