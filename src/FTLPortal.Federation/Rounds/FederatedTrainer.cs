using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Communication;
using FTLPortal.Federation.Privacy;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Federation.Strategies;
using FTLPortal.Federation.Updates;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Rounds;

/// <summary>
/// The coordinator's round loop. Each round every participant's agent trains from the current global weights
/// concurrently; updates that arrive in time and pass <see cref="UpdateValidator"/> are aggregated by the strategy;
/// a participant that throws, times out or sends a rejected update is dropped from that round only. The coordinator
/// sees only updates and metrics, never rows. Local layers (FedBN: <c>ModelArchitecture.LocalLayerNames()</c>) are never
/// sent nor averaged: the global weights keep their initial values, and each agent keeps its own under
/// <see cref="FineTuningPlan.RunId"/>, which the final evaluation passes on so each partner is scored with its own.
/// With secure aggregation a round runs through <see cref="SecureRoundCoordinator"/>: the agents check and mask their own
/// updates, and the coordinator receives no plain update, only the unmasked sample-weighted mean.
/// </summary>
public sealed class FederatedTrainer
{
    private readonly FederatedTrainerOptions _options;

    public FederatedTrainer(FederatedTrainerOptions? options = null)
    {
        _options = options ?? new FederatedTrainerOptions();
        if (_options.ClientTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The client timeout must be positive.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(_options.Strategy);
        if (_options.Privacy is not null)
        {
            _options.Privacy.Validate();
            if (_options.Strategy.RequiresIndividualUpdates)
            {
                throw new ArgumentException(
                    $"Differential privacy adds noise to the sum of clipped updates; strategy '{_options.Strategy.Name}' needs each plain update. "
                    + "Choose FedAvg, FedAvgM, FedProx or a server optimizer with DP.",
                    nameof(options));
            }
        }

        if (_options.SecureAggregation)
        {
            SecureAggregationRound.EnsureCompatible(_options.Strategy);
            if (_options.Privacy is { AdaptiveClipping: true })
            {
                throw new ArgumentException(
                    "With secure aggregation the agents clip and noise their own updates (distributed DP), and adaptive clipping needs the count of "
                    + "unclipped updates at the coordinator: choose a fixed clip norm, or turn secure aggregation off.",
                    nameof(options));
            }
        }
    }

    public async Task<FederatedRunResult> RunAsync(
        FineTuningPlan plan, IFederationObserver? observer = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        WeightSet current = ValidatePlan(plan);
        IAggregationStrategy strategy = _options.Strategy;
        PrivateAggregation? privacy = _options.Privacy is null ? null : new PrivateAggregation(_options.Privacy);
        var reactions = RestoreServerState(plan.ServerState, strategy, privacy);
        var validator = new UpdateValidator(plan.MaxUpdateNorm);
        var notifier = new SerializedObserver(observer);
        var frozen = new HashSet<string>(plan.FrozenLayers, StringComparer.Ordinal);
        var local = new HashSet<string>(ModelArchitecture.FromJson(plan.ArchitectureJson).LocalLayerNames().Concat(plan.PersonalLayers), StringComparer.Ordinal);
        var guard = new NegativeTransferRules(plan, reactions);
        var rounds = new List<RoundSummary>();
        byte[] currentBytes = WeightCodec.Encode(current);
        TimeSpan timeout = plan.RoundDeadline is { } deadline && deadline < _options.ClientTimeout ? deadline : _options.ClientTimeout;
        int perRound = ClientSelection.Count(plan.Participants.Count, plan.ClientFraction, plan.MinParticipants);
        TrainingOptions localTraining = strategy is FederatedProximal prox ? plan.Local with { ProximalMu = prox.Mu } : plan.Local;
        string? stoppedEarly = null;
        IReadOnlyList<ParticipantEvaluation>? lastGlobal = null;
        var best = new BestRoundKeeper(plan.EarlyStoppingPatience);
        WeightSet? spare = null;
        SecureRoundCoordinator? secureRounds = _options.SecureAggregation ? SecureRoundsFor(plan, perRound, timeout, notifier) : null;
        IReadOnlyList<string> sharedTensors = SecureRoundCoordinator.SharedTensors(current, frozen, local);

        for (int round = plan.StartRound; round <= plan.Rounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            double? epsilon = null;
            string? warning = null;
            if (_options.Privacy is { } dp)
            {
                double q = (double)perRound / plan.Participants.Count;
                epsilon = RdpAccountant.GetEpsilon(q, dp.NoiseMultiplier, round, dp.Delta).Epsilon;
                if (dp.EpsilonBudget is { } budget && epsilon > budget)
                {
                    string message = $"Round {round} would spend ε = {epsilon:G4} (δ = {dp.Delta:G3}), over the budget of {budget:G4}.";
                    if (dp.BudgetAction == PrivacyBudgetAction.Stop)
                    {
                        stoppedEarly = message + " The run stopped before it.";
                        int stoppedAt = round;
                        notifier.Notify(o => o.Warning(stoppedAt, stoppedEarly));
                        break;
                    }

                    warning = message;
                    int warnedAt = round;
                    notifier.Notify(o => o.Warning(warnedAt, message));
                }
            }

            notifier.Notify(o => o.RoundStarted(round));

            var request = new LocalTrainingRequest
            {
                Round = round,
                DomainId = string.Empty,
                ArchitectureJson = plan.ArchitectureJson,
                GlobalWeights = currentBytes,
                FrozenLayers = plan.FrozenLayers,
                Training = localTraining with { Seed = plan.Local.Seed + round, FrozenLayers = frozen },
                ValidationFraction = plan.ValidationFraction,
                SplitSeed = plan.SplitSeed,
                RunId = plan.RunId,
                PersonalLayers = plan.PersonalLayers,
                PersonalHeadEpochs = plan.PersonalLayers.Count > 0 ? plan.PersonalHeadEpochs : 0,
                UpdateEncoding = plan.UpdateEncoding,
                OwnHead = plan.TaskHeads,
                HeadSeed = plan.Local.Seed,
                Engine = plan.Engine,
            };

            WeightSet global = current;
            int roundNumber = round;
            IReadOnlyList<Participant> active = guard.Active;
            var allDropped = new List<DroppedParticipant>();
            long totalBytes = 0;
            ClientOutcome[] outcomes = [];
            IReadOnlyList<Participant> selected = [];
            int attempt = 0;
            List<ClientOutcome> accepted = [];
            long secureBytes = 0;
            WeightSet? secureMean = null;
            while (true)
            {
                attempt++;
                selected = ClientSelection.Choose(active, Math.Min(perRound, active.Count), plan.SelectionSeed, round, attempt);
                string? secureFailure = null;
                if (secureRounds is not null)
                {
                    // Secure aggregation: the agents mask their own updates; only the unmasked mean comes back.
                    SecureRoundOutcome secure = await secureRounds.RunAsync(
                        selected, request, attempt, global, sharedTensors, plan.MinParticipants, plan.MaxUpdateNorm, SumNoise(privacy), ct).ConfigureAwait(false);
                    (outcomes, secureMean, secureFailure) = ([.. secure.Clients], secure.Mean, secure.Failure);
                    secureBytes += secure.ProtocolBytes;
                }
                else
                {
                    outcomes = await Task.WhenAll(selected.Select(
                        p => RunClientAsync(p, guard.TrainingRequest(p, request) with { Engine = p.Engine ?? request.Engine }, roundNumber, global, frozen, guard.LocalLayers(p, local), validator, timeout, notifier, ct)))
                        .ConfigureAwait(false);
                }

                ct.ThrowIfCancellationRequested();
                totalBytes += outcomes.Sum(o => o.Traffic.BytesToPartner + o.Traffic.BytesFromPartner);
                allDropped.AddRange(outcomes.Where(o => o.Dropped is not null).Select(o => o.Dropped!));
                accepted = outcomes.Where(o => o.Metrics is not null).ToList();
                if (secureFailure is null && accepted.Count >= plan.MinParticipants)
                {
                    break;
                }

                if (attempt >= plan.MaxRoundAttempts)
                {
                    throw new FederationFailedException(
                        (secureFailure is not null
                            ? $"Round {round}: secure aggregation aborted ({secureFailure})"
                            : $"Round {round}: only {accepted.Count} of {selected.Count} selected participants returned a valid update"
                                + (plan.RoundDeadline is { } d ? $" within the round deadline of {d}" : string.Empty)
                                + $", at least {plan.MinParticipants} required")
                        + (attempt > 1 ? $", after {attempt} attempts" : string.Empty)
                        + ". Dropped: " + string.Join("; ", allDropped.Select(d => $"{d.PartnerId} ({d.Reason})")),
                        round,
                        allDropped);
                }

                int retried = attempt;
                string why = secureFailure is null ? $"only {accepted.Count} valid updates, {plan.MinParticipants} required" : $"secure aggregation aborted ({secureFailure})";
                notifier.Notify(o => o.Warning(roundNumber, $"Round {roundNumber}, attempt {retried}: {why}; retrying."));
            }

            List<ClientUpdate> updates = secureRounds is null ? [.. accepted.Select(o => o.Update!)] : [];
            if (privacy is not null && _options.Privacy!.NoiseSeed is { } noiseSeed)
            {
                // A seed per round, so a run resumed at this round draws the noise an uninterrupted run would.
                privacy = new PrivateAggregation(_options.Privacy with { NoiseSeed = RoundSeed(noiseSeed, round) }) { ClipNorm = privacy.ClipNorm };
            }

            double? clipUsed = privacy?.ClipNorm;
            WeightSet previous = current;
            if (secureRounds is not null)
            {
                current = strategy.ApplyMean(current, secureMean!);
            }
            else
            {
                current = privacy is not null ? strategy.ApplyMean(current, privacy.NoisedMean(current, updates))
                    : strategy is FederatedAveraging fedAvg && spare is not null ? fedAvg.AggregateInto(current, updates, spare)
                    : strategy.Aggregate(current, updates);
            }

            // The previous global is referenced by nothing after this round (unless early stopping keeps it as the best
            // round's weights): its arrays take the next round's result.
            spare = plan.EarlyStoppingPatience > 0 ? null : previous;
            currentBytes = WeightCodec.Encode(current);

            var metrics = accepted.Select(o => o.Metrics!).ToList();
            long validationRows = metrics.Sum(m => (long)m.ValidationRows);
            double meanLoss = validationRows > 0
                ? metrics.Sum(m => m.ValidationLoss * m.ValidationRows) / validationRows
                : metrics.Average(m => m.ValidationLoss);
            double meanAccuracy = validationRows > 0
                ? metrics.Sum(m => m.ValidationAccuracy * m.ValidationRows) / validationRows
                : metrics.Average(m => m.ValidationAccuracy);
            IReadOnlyList<ParticipantEvaluation> globalEvaluations = _options.EvaluateGlobalModelEachRound
                ? await EvaluateGlobalAsync(plan with { Participants = active }, currentBytes, EvaluationSplits.Validation, roundNumber, notifier, guard.EvaluationRequest, ct).ConfigureAwait(false)
                : [];
            lastGlobal = _options.EvaluateGlobalModelEachRound && guard.Departed == 0 ? globalEvaluations : null;
            IReadOnlyList<NegativeTransferReaction> reacted = guard.Check(round, globalEvaluations, _options.SecureAggregation ? 2 : 1);
            foreach (NegativeTransferReaction reaction in reacted)
            {
                string message = $"Partner '{reaction.PartnerId}' {reaction.Describe()}.";
                notifier.Notify(o => o.Warning(roundNumber, message));
            }

            notifier.Notify(o => o.GlobalModelEvaluated(roundNumber, globalEvaluations));
            var summary = new RoundSummary(round, metrics, allDropped, meanLoss, meanAccuracy, current.Sha256())
            {
                Selected = selected.Select(p => p.PartnerId).ToList(),
                Attempts = attempt,
                Traffic = outcomes.Select(o => o.Traffic).ToList(),
                TotalBytes = totalBytes,
                SecureAggregationBytes = secureBytes,
                ServerState = new ServerCheckpoint(strategy.ExportState(), privacy?.ClipNorm, guard.Reactions.Count > 0 ? guard.Reactions : null).ToBytes(),
                Epsilon = epsilon,
                ClipNorm = clipUsed,
                Warning = warning,
                GlobalEvaluations = globalEvaluations,
                GlobalValidationLoss = GlobalModelEvaluation.RowWeightedMean(globalEvaluations, e => e.Loss),
                GlobalValidationAccuracy = GlobalModelEvaluation.RowWeightedMean(globalEvaluations, e => e.Accuracy),
                Reactions = reacted,
            };
            rounds.Add(summary);
            byte[] checkpoint = currentBytes;
            notifier.Notify(o => o.RoundCompleted(summary, checkpoint));
            if (best.Observe(rounds, current, currentBytes, globalEvaluations))
            {
                break;
            }
        }

        (current, currentBytes, lastGlobal) = best.Final(current, currentBytes, lastGlobal);

        IReadOnlyList<ParticipantEvaluation> evaluations = _options.EvaluateFinalModel
            ? await EvaluateFinalAsync(plan, currentBytes, lastGlobal, notifier, guard, ct).ConfigureAwait(false)
            : [];
        return new FederatedRunResult(current, currentBytes, rounds, evaluations)
        {
            Reactions = guard.Reactions,
            BestRound = best.Round ?? (rounds.Count > 0 ? rounds[^1].Round : null),
            StoppedEarly = stoppedEarly ?? (best.Stopped
                ? $"Early stopping: the global validation loss did not improve for {plan.EarlyStoppingPatience} rounds after round {best.Round}, whose weights are kept."
                : null),
        };
    }

    /// <summary>The negative-transfer reactions saved in a round's server state (<see cref="RoundSummary.ServerState"/>).</summary>
    public static IReadOnlyList<NegativeTransferReaction> ReactionsIn(byte[]? serverState) =>
        serverState is null ? [] : ServerCheckpoint.FromBytes(serverState).Reactions ?? [];

    private static IReadOnlyList<NegativeTransferReaction> RestoreServerState(byte[]? state, IAggregationStrategy strategy, PrivateAggregation? privacy)
    {
        if (state is null)
        {
            return [];
        }

        ServerCheckpoint checkpoint = ServerCheckpoint.FromBytes(state);
        if (checkpoint.StrategyState is { } strategyState)
        {
            strategy.ImportState(strategyState);
        }

        if (privacy is not null && checkpoint.ClipNorm is { } clip)
        {
            privacy.ClipNorm = clip;
        }

        return checkpoint.Reactions ?? [];
    }

    /// <summary>
    /// The secure rounds' driver, after refusing up front a plan whose agents cannot mask their own updates or whose rounds
    /// would select more clients than the protocol's ids allow.
    /// </summary>
    private static SecureRoundCoordinator SecureRoundsFor(FineTuningPlan plan, int perRound, TimeSpan timeout, SerializedObserver notifier)
    {
        Participant? unable = plan.Participants.FirstOrDefault(p => !p.Agent.SupportsSecureAggregation);
        if (unable is not null)
        {
            throw new ArgumentException(
                $"Secure aggregation needs every agent to mask its own update, but the agent of partner '{unable.PartnerId}' does not support it. "
                + "Turn secure aggregation off or update that agent.",
                nameof(plan));
        }

        if (plan.UpdateEncoding != UpdateEncoding.FullPrecision)
        {
            throw new ArgumentException(
                $"Secure aggregation sends masked 64-bit fixed-point vectors; the {plan.UpdateEncoding} update encoding cannot apply. Choose full precision.",
                nameof(plan));
        }

        if (perRound > SecureRoundCoordinator.MaxClients)
        {
            throw new ArgumentException(
                $"Secure aggregation takes at most {SecureRoundCoordinator.MaxClients} participants per round; {perRound} would be selected. Lower the client fraction.",
                nameof(plan));
        }

        return new SecureRoundCoordinator(timeout, notifier);
    }

    /// <summary>Distributed DP: the clip bound and the noise the unmasked sum must carry (z·C), as DP-FedAvg adds it at the coordinator.</summary>
    private DistributedNoise? SumNoise(PrivateAggregation? privacy) =>
        privacy is null ? null : new DistributedNoise(privacy.ClipNorm, _options.Privacy!.UpdateNoiseMultiplier * privacy.ClipNorm);

    private static int RoundSeed(int seed, int round) => unchecked((seed * 1_000_003) + round);

    private static long ReceivedBytes(ModelUpdate? update) => update?.Weights?.LongLength ?? 0;

    private static async Task<ClientOutcome> RunClientAsync(
        Participant participant,
        LocalTrainingRequest request,
        int round,
        WeightSet global,
        HashSet<string> frozen,
        HashSet<string> local,
        UpdateValidator validator,
        TimeSpan timeout,
        SerializedObserver notifier,
        CancellationToken ct)
    {
        long sent = request.GlobalWeights.LongLength;
        ModelUpdate update;
        try
        {
            update = await AgentCalls.WithTimeoutAsync(
                token => participant.Agent.TrainLocalAsync(request, token), timeout, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of a partner's agent drops that partner from the round; it must not fail the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Drop(AgentCalls.Describe(ex), 0);
        }

        long received = ReceivedBytes(update);

        string? reason = CheckEnvelope(participant, update, round);
        WeightSet? weights = null;
        if (reason is null)
        {
            try
            {
                weights = update.Encoding == UpdateEncoding.FullPrecision
                    ? WeightCodec.Decode(update.Weights)
                    : QuantizedUpdateCodec.Decode(update.Weights, global);
            }
#pragma warning disable CA1031 // Whatever the decoder throws, the update is unreadable and is rejected.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reason = $"the weights are not a valid {update.Encoding} payload: {ex.Message}";
            }
        }

        ClientUpdate? clientUpdate = null;
        if (weights is not null)
        {
            clientUpdate = new ClientUpdate(participant.PartnerId, update.SampleCount, weights);
            UpdateValidationResult result = validator.Validate(clientUpdate, global, frozen, local);
            reason = result.Reason;
        }

        if (reason is not null)
        {
            return Drop($"update rejected: {reason}", received);
        }

        var metrics = new ClientMetrics(
            participant.PartnerId,
            update.SampleCount,
            update.TrainLoss,
            update.Validation.Loss,
            update.Validation.Accuracy,
            update.Validation.Rows)
        {
            DomainId = participant.DomainId,
        };
        notifier.Notify(o => o.ClientCompleted(round, participant.PartnerId, metrics));
        return new ClientOutcome(clientUpdate, metrics, null, new ParticipantTraffic(participant.PartnerId, sent, received));

        ClientOutcome Drop(string why, long bytesIn)
        {
            notifier.Notify(o => o.ParticipantDropped(round, participant.PartnerId, why));
            return new ClientOutcome(null, null, new DroppedParticipant(participant.PartnerId, why) { DomainId = participant.DomainId }, new ParticipantTraffic(participant.PartnerId, sent, bytesIn));
        }
    }

    private static string? CheckEnvelope(Participant participant, ModelUpdate? update, int round)
    {
        if (update is null)
        {
            return "the agent returned no update.";
        }

        if (!string.Equals(update.PartnerId, participant.PartnerId, StringComparison.Ordinal))
        {
            return $"it is signed by partner '{update.PartnerId}'.";
        }

        if (update.Round != round)
        {
            return $"it is for round {update.Round}.";
        }

        if (update.Weights is null || update.Weights.Length == 0)
        {
            return "it carries no weights.";
        }

        if (update.Validation is null)
        {
            return "it carries no validation metrics.";
        }

        return null;
    }

    private Task<IReadOnlyList<ParticipantEvaluation>> EvaluateGlobalAsync(
        FineTuningPlan plan, byte[] weights, string split, int round, SerializedObserver notifier,
        Func<Participant, EvaluationRequest, EvaluationRequest> adjust, CancellationToken ct) =>
        GlobalModelEvaluation.RunAsync(
            plan,
            weights,
            split,
            _options.ClientTimeout,
            (p, why) => notifier.Notify(o => o.ParticipantDropped(round, p.PartnerId, $"{split} evaluation of the global model failed: {why}")),
            ct,
            adjust);

    /// <summary>
    /// The final model on each participant's validation rows (the last round's evaluation, or a new one when no round ran
    /// here) and test rows; a participant that cannot evaluate it is reported and left out.
    /// </summary>
    private async Task<IReadOnlyList<ParticipantEvaluation>> EvaluateFinalAsync(
        FineTuningPlan plan, byte[] weights, IReadOnlyList<ParticipantEvaluation>? lastGlobal, SerializedObserver notifier, NegativeTransferRules guard, CancellationToken ct)
    {
        // Every participant, those that left included (scored on the weights they kept).
        IReadOnlyList<ParticipantEvaluation> validation = lastGlobal
            ?? await EvaluateGlobalAsync(plan, weights, EvaluationSplits.Validation, plan.Rounds, notifier, guard.FinalEvaluationRequest, ct).ConfigureAwait(false);
        IReadOnlyList<ParticipantEvaluation> test =
            await EvaluateGlobalAsync(plan, weights, EvaluationSplits.Test, plan.Rounds, notifier, guard.FinalEvaluationRequest, ct).ConfigureAwait(false);
        return validation
            .Select(v => v with { Test = test.FirstOrDefault(t => t.PartnerId == v.PartnerId && t.DomainId == v.DomainId)?.Validation })
            .Where(v => v.Test is not null)
            .ToList();
    }

    /// <summary>Checks the plan and returns the decoded initial weights.</summary>
    internal static WeightSet ValidatePlan(FineTuningPlan plan)
    {
        if (plan.Rounds < 1)
        {
            throw new ArgumentException($"A plan needs at least one round (was {plan.Rounds}).", nameof(plan));
        }

        if (plan.StartRound < 1 || plan.StartRound > plan.Rounds + 1)
        {
            throw new ArgumentException($"The start round must be between 1 and {plan.Rounds + 1} (was {plan.StartRound}).", nameof(plan));
        }

        if (plan.Participants is null || plan.Participants.Count == 0)
        {
            throw new ArgumentException("A plan needs at least one participant.", nameof(plan));
        }

        // A participant is a domain: a partner may bring several domains, but not the same one twice.
        Participant? duplicate = plan.Participants
            .GroupBy(p => (p.PartnerId, p.DomainId))
            .FirstOrDefault(g => g.Count() > 1)?.First();
        if (duplicate is not null)
        {
            throw new ArgumentException($"Domain '{duplicate.DomainId}' of partner '{duplicate.PartnerId}' takes part twice.", nameof(plan));
        }

        if (plan.MinParticipants < 1 || plan.MinParticipants > plan.Participants.Count)
        {
            throw new ArgumentException(
                $"MinParticipants must be between 1 and the number of participants ({plan.Participants.Count}); was {plan.MinParticipants}.",
                nameof(plan));
        }

        if (!(plan.ClientFraction is > 0 and <= 1))
        {
            throw new ArgumentException($"The client fraction must be in (0, 1] (was {plan.ClientFraction}).", nameof(plan));
        }

        if (plan.MaxRoundAttempts < 1)
        {
            throw new ArgumentException($"A round needs at least one attempt (MaxRoundAttempts was {plan.MaxRoundAttempts}).", nameof(plan));
        }

        if (plan.RoundDeadline is { } deadline && deadline <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The round deadline must be positive (was {deadline}).", nameof(plan));
        }

        if (plan.MaxUpdateNorm is { } bound && !(bound > 0))
        {
            throw new ArgumentException($"The update norm bound must be positive (was {bound}).", nameof(plan));
        }

        if (string.IsNullOrWhiteSpace(plan.RunId))
        {
            throw new ArgumentException("A plan needs a run id.", nameof(plan));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(plan.EarlyStoppingPatience, nameof(plan));

        if (plan.ValidationFraction is <= 0 or >= 1)
        {
            throw new ArgumentException($"The validation fraction must be in (0, 1) (was {plan.ValidationFraction}).", nameof(plan));
        }

        ModelArchitecture architecture = ModelArchitecture.FromJson(plan.ArchitectureJson);
        WeightSet expected = SequentialModel.Create(architecture, 0).GetWeights();
        WeightSet initial = WeightCodec.Decode(plan.InitialWeights);
        foreach (NamedTensor reference in expected)
        {
            if (!initial.TryGet(reference.Name, out NamedTensor? tensor))
            {
                throw new ArgumentException($"The initial weights lack tensor '{reference.Name}'.", nameof(plan));
            }

            if (!tensor.HasShape(reference.Shape))
            {
                throw new ArgumentException(
                    $"Initial tensor '{reference.Name}' has shape [{string.Join(", ", tensor.Shape)}], the architecture needs [{string.Join(", ", reference.Shape)}].",
                    nameof(plan));
            }
        }

        if (initial.Count != expected.Count)
        {
            string extra = initial.Names.First(n => !expected.Contains(n));
            throw new ArgumentException($"The initial weights have tensor '{extra}', which the architecture does not.", nameof(plan));
        }

        var layerNames = new HashSet<string>(architecture.Layers.Select(l => l.Name), StringComparer.Ordinal);
        string? unknown = plan.FrozenLayers.FirstOrDefault(l => !layerNames.Contains(l));
        if (unknown is not null)
        {
            throw new ArgumentException($"Frozen layer '{unknown}' is not a layer of the architecture.", nameof(plan));
        }

        if (expected.Except(plan.FrozenLayers).Count == 0)
        {
            throw new ArgumentException("Every layer with parameters is frozen: there is nothing to fine-tune.", nameof(plan));
        }

        string? unknownPersonal = plan.PersonalLayers.FirstOrDefault(l => !layerNames.Contains(l));
        if (unknownPersonal is not null)
        {
            throw new ArgumentException($"Personal layer '{unknownPersonal}' is not a layer of the architecture.", nameof(plan));
        }

        string? frozenPersonal = plan.PersonalLayers.FirstOrDefault(plan.FrozenLayers.Contains);
        if (frozenPersonal is not null)
        {
            throw new ArgumentException($"Layer '{frozenPersonal}' cannot be both frozen and personal.", nameof(plan));
        }

        if (plan.TaskHeads && (architecture.Layers[^1].Kind != LayerSpec.DenseKind || !plan.PersonalLayers.Contains(architecture.Layers[^1].Name)))
        {
            throw new ArgumentException(
                $"Task heads re-size the output layer for each partner: the last layer '{architecture.Layers[^1].Name}' must be a dense layer and one of the personal layers.",
                nameof(plan));
        }

        if (expected.Except(plan.FrozenLayers.Concat(architecture.LocalLayerNames()).Concat(plan.PersonalLayers)).Count == 0)
        {
            throw new ArgumentException(
                "Every layer with parameters is frozen or local (FedBN): there is nothing to share between partners.", nameof(plan));
        }

        // Keep the architecture's tensor order so aggregation and hashes are stable.
        return new WeightSet(expected.Select(t => initial[t.Name]));
    }
}
