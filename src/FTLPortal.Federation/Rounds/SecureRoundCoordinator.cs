using FTLPortal.Federation.Agents;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Tensors;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The coordinator's half of secure aggregation over the agent contract (Bonawitz et al. 2017): it hands out client ids
/// and the threshold, routes the agents' public keys and sealed shares, adds the masked vectors the agents send into one
/// running sum, and asks the survivors to unmask it. It never receives a plain update: each agent trains, checks and
/// masks its own change. Agents that fail a step are dropped from the rest of the round; their masks are removed with the
/// others' Shamir shares. With fewer than the threshold left at any step the attempt aborts and nobody is asked to unmask.
/// </summary>
internal sealed class SecureRoundCoordinator(TimeSpan timeout, SerializedObserver notifier)
{
    /// <summary>Shamir x-coordinates are bytes: at most 255 clients in one secure round.</summary>
    public const int MaxClients = 255;

    /// <summary>
    /// The threshold for <paramref name="clients"/> selected clients: two thirds of them, at least 2 and at least the
    /// round's minimum of updates, at most all of them.
    /// </summary>
    public static int Threshold(int clients, int minParticipants) =>
        Math.Min(clients, Math.Max(Math.Max(2, minParticipants), (int)Math.Ceiling(clients * 2 / 3.0)));

    /// <summary>The tensors that travel (masked): those of layers neither frozen nor local, in the model's order.</summary>
    public static IReadOnlyList<string> SharedTensors(WeightSet global, IReadOnlySet<string> frozen, IReadOnlySet<string> local) =>
        [.. global.Where(t => !frozen.Contains(t.LayerName) && !local.Contains(t.LayerName)).Select(t => t.Name)];

    public async Task<SecureRoundOutcome> RunAsync(
        IReadOnlyList<Participant> selected,
        LocalTrainingRequest request,
        int attempt,
        WeightSet global,
        IReadOnlyList<string> tensors,
        int minParticipants,
        double? maxUpdateNorm,
        DistributedNoise? sumNoise,
        CancellationToken ct)
    {
        int round = request.Round;
        var clients = selected.Select((p, i) => new Client(p, i + 1, new SecureSession(request.RunId ?? string.Empty, round, attempt, p.DomainId))).ToList();
        if (clients.Count is < 2 or > MaxClients)
        {
            return Outcome(clients, null, $"secure aggregation needs 2 to {MaxClients} participants in a round; {clients.Count} were selected");
        }

        int threshold = Threshold(clients.Count, minParticipants);

        // Distributed DP: t agents' noise of σ/√t each adds up to σ; more survivors only add more.
        DistributedNoise? noise = sumNoise is null ? null : sumNoise with { StandardDeviation = sumNoise.StandardDeviation / Math.Sqrt(threshold) };
        string tag = clients[0].Session.RoundTag;
        var server = new SecureAggregationServer(threshold, FixedPointUpdate.Length(global, tensors), tag);
        try
        {
            // Step 0: keys.
            List<Client> advertised = await StepAsync(clients, (c, token) => c.Agent.AdvertiseKeysAsync(new SecureKeysRequest(c.Session, c.Id, threshold), token), (c, ad) =>
            {
                c.BytesFrom += ad.Bytes;
                c.Advertisement = ad;
                return ad.ClientId == c.Id ? null : $"it advertised keys as client {ad.ClientId}, not {c.Id}.";
            }, ct).ConfigureAwait(false);
            IReadOnlyList<KeyAdvertisement> roster = server.CollectAdvertisements(advertised.Select(c => c.Advertisement!));
            long rosterBytes = roster.Sum(a => a.Bytes);

            // Step 1: sealed shares, routed.
            List<Client> shared = await StepAsync(advertised, (c, token) =>
            {
                c.BytesTo += rosterBytes;
                return c.Agent.ShareKeysAsync(new SecureSharesRequest(c.Session, roster), token);
            }, (c, shares) =>
            {
                c.BytesFrom += shares.Sum(s => s.Bytes);
                c.Shares = shares;
                return shares.All(s => s.From == c.Id && s.To != c.Id && roster.Any(r => r.ClientId == s.To))
                    ? null
                    : "it sent shares in another client's name or for a client outside the roster.";
            }, ct).ConfigureAwait(false);
            IReadOnlyDictionary<int, IReadOnlyList<EncryptedShares>> routed = server.RouteShares(shared.SelectMany(c => c.Shares!));

            // Step 2: each agent trains, checks and masks its change; only the masked vectors arrive, and go into one sum.
            List<Client> masked = await StepAsync(shared, (c, token) =>
            {
                IReadOnlyList<EncryptedShares> mine = routed[c.Id];
                c.ModelBytes = request.GlobalWeights.LongLength;
                c.BytesTo += c.ModelBytes + mine.Sum(s => s.Bytes);
                var training = new SecureTrainingRequest(c.Session, request with { DomainId = c.Participant.DomainId, Engine = c.Participant.Engine ?? request.Engine }, mine, tensors) { MaxUpdateNorm = maxUpdateNorm, Noise = noise };
                return c.Agent.TrainMaskedAsync(training, token);
            }, (c, update) =>
            {
                c.BytesFrom += update.Bytes;
                string? reason = CheckEnvelope(c, update, round);
                if (reason is null)
                {
                    try
                    {
                        server.AddMaskedInput(c.Id, update.Masked);
                    }
                    catch (SecureAggregationAbortedException ex)
                    {
                        reason = ex.Message;
                    }
                }

                if (reason is not null)
                {
                    return $"update rejected: {reason}";
                }

                c.Metrics = new ClientMetrics(c.Participant.PartnerId, update.SampleCount, update.TrainLoss, update.Validation.Loss, update.Validation.Accuracy, update.Validation.Rows)
                {
                    DomainId = c.Participant.DomainId,
                };
                ClientMetrics metrics = c.Metrics;
                notifier.Notify(o => o.ClientCompleted(round, c.Participant.PartnerId, metrics));
                if (update.Clipped)
                {
                    notifier.Notify(o => o.Warning(round, $"The agent of {c.Participant.PartnerId} clipped its update to the norm bound of {maxUpdateNorm:G4} before masking it."));
                }

                return null;
            }, ct).ConfigureAwait(false);

            int needed = Math.Max(threshold, minParticipants);
            if (masked.Count < needed)
            {
                return Outcome(clients, null, $"only {masked.Count} masked updates arrived, {needed} needed; the round is aborted and nobody is asked to unmask");
            }

            // Step 3: the survivors' shares remove the self masks and the dropped clients' pairwise masks.
            List<int> survivors = [.. server.UnmaskingRequest()];
            var responses = new List<UnmaskingResponse>();
            await StepAsync(masked, (c, token) =>
            {
                c.BytesTo += (long)survivors.Count * sizeof(int);
                return c.Agent.UnmaskAsync(new SecureUnmaskRequest(c.Session, survivors), token);
            }, (c, response) =>
            {
                c.BytesFrom += response.Bytes;
                if (response.From == c.Id)
                {
                    lock (responses)
                    {
                        responses.Add(response);
                    }
                }

                return null;
            }, ct, keepOnFailure: true).ConfigureAwait(false);
            ulong[] sum = server.Finish(responses);
            return Outcome(clients, FixedPointUpdate.DecodeMean(global, tensors, sum), null);
        }
        catch (SecureAggregationAbortedException ex)
        {
            return Outcome(clients, null, ex.Message);
        }
    }

    private static SecureRoundOutcome Outcome(List<Client> clients, WeightSet? mean, string? failure)
    {
        var outcomes = clients.Select(c => new ClientOutcome(
            null,
            mean is null ? null : c.Metrics,
            c.Dropped is null ? null : new DroppedParticipant(c.Participant.PartnerId, c.Dropped) { DomainId = c.Participant.DomainId },
            new ParticipantTraffic(c.Participant.PartnerId, c.BytesTo, c.BytesFrom))).ToList();
        return new SecureRoundOutcome(outcomes, mean, clients.Sum(c => c.BytesTo + c.BytesFrom - c.ModelBytes), failure);
    }

    /// <summary>
    /// Calls every client at once with the time limit; a client that fails, times out or whose answer
    /// <paramref name="accept"/> refuses (returning the reason) is dropped from the round. Returns the others, in order.
    /// With <paramref name="keepOnFailure"/> (unmasking: the client's input is already in the sum) a failure is a warning.
    /// </summary>
    private async Task<List<Client>> StepAsync<T>(
        List<Client> clients, Func<Client, CancellationToken, Task<T>> call, Func<Client, T, string?> accept, CancellationToken ct, bool keepOnFailure = false)
        where T : class
    {
        bool[] kept = await Task.WhenAll(clients.Select(async c =>
        {
            string? reason;
            try
            {
                T? answer = await AgentCalls.WithTimeoutAsync(token => call(c, token), timeout, ct).ConfigureAwait(false);
                reason = answer is null ? "the agent returned nothing." : accept(c, answer);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Any failure of a partner's agent drops that partner from the round; it must not fail the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reason = ex is UpdateRejectedException ? $"update rejected by its agent: {ex.Message}" : AgentCalls.Describe(ex);
            }

            if (reason is null)
            {
                return true;
            }

            if (keepOnFailure)
            {
                notifier.Notify(o => o.Warning(c.Session.Round, $"{c.Participant.PartnerId} did not help unmask the sum ({reason}); its masked update still counts, recovered from the others' shares."));
                return true;
            }

            c.Dropped = reason;
            notifier.Notify(o => o.ParticipantDropped(c.Session.Round, c.Participant.PartnerId, reason));
            return false;
        })).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return [.. clients.Where((_, i) => kept[i])];
    }

    private static string? CheckEnvelope(Client client, MaskedModelUpdate update, int round)
    {
        if (!string.Equals(update.PartnerId, client.Participant.PartnerId, StringComparison.Ordinal))
        {
            return $"it is signed by partner '{update.PartnerId}'.";
        }

        if (update.Round != round || update.ClientId != client.Id)
        {
            return $"it is for round {update.Round} and client {update.ClientId}, not round {round} and client {client.Id}.";
        }

        if (update.Masked is null || update.Validation is null || update.SampleCount <= 0)
        {
            return "it carries no masked vector, no validation metrics or no positive sample count.";
        }

        return null;
    }

    private sealed class Client(Participant participant, int id, SecureSession session)
    {
        public Participant Participant { get; } = participant;

        public IFederatedAgent Agent => Participant.Agent;

        public int Id { get; } = id;

        public SecureSession Session { get; } = session;

        public KeyAdvertisement? Advertisement { get; set; }

        public IReadOnlyList<EncryptedShares>? Shares { get; set; }

        public ClientMetrics? Metrics { get; set; }

        public string? Dropped { get; set; }

        public long BytesTo { get; set; }

        public long BytesFrom { get; set; }

        /// <summary>The global model sent down (as in a plain round); the rest of the traffic is the protocol's.</summary>
        public long ModelBytes { get; set; }
    }
}
