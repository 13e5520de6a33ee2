using FTLPortal.Federation.Agents;
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
/// </summary>
public sealed class FederatedTrainer
{
    private readonly FederatedTrainerOptions _options;
    private readonly UpdateValidator _validator = new();

    public FederatedTrainer(FederatedTrainerOptions? options = null)
    {
        _options = options ?? new FederatedTrainerOptions();
        if (_options.ClientTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The client timeout must be positive.", nameof(options));
        }
    }

    public async Task<FederatedRunResult> RunAsync(
        FineTuningPlan plan, IFederationObserver? observer = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        WeightSet current = ValidatePlan(plan);
        var notifier = new SerializedObserver(observer);
        var frozen = new HashSet<string>(plan.FrozenLayers, StringComparer.Ordinal);
        var local = new HashSet<string>(ModelArchitecture.FromJson(plan.ArchitectureJson).LocalLayerNames(), StringComparer.Ordinal);
        var rounds = new List<RoundSummary>();
        byte[] currentBytes = WeightCodec.Encode(current);
        IReadOnlyList<ParticipantEvaluation>? lastGlobal = null;
        var best = new BestRoundKeeper(plan.EarlyStoppingPatience);

        for (int round = plan.StartRound; round <= plan.Rounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            notifier.Notify(o => o.RoundStarted(round));

            var request = new LocalTrainingRequest
            {
                Round = round,
                DomainId = string.Empty,
                ArchitectureJson = plan.ArchitectureJson,
                GlobalWeights = currentBytes,
                FrozenLayers = plan.FrozenLayers,
                Training = plan.Local with { Seed = plan.Local.Seed + round, FrozenLayers = frozen },
                ValidationFraction = plan.ValidationFraction,
                SplitSeed = plan.SplitSeed,
                RunId = plan.RunId,
            };

            WeightSet global = current;
            int roundNumber = round;
            ClientOutcome[] outcomes = await Task.WhenAll(plan.Participants.Select(
                p => RunClientAsync(p, request with { DomainId = p.DomainId }, roundNumber, global, frozen, local, notifier, ct)))
                .ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();

            var dropped = outcomes.Where(o => o.Dropped is not null).Select(o => o.Dropped!).ToList();
            var accepted = outcomes.Where(o => o.Update is not null).ToList();
            if (accepted.Count < plan.MinParticipants)
            {
                throw new FederationFailedException(
                    $"Round {round}: only {accepted.Count} of {plan.Participants.Count} participants returned a valid update, "
                    + $"at least {plan.MinParticipants} required. Dropped: "
                    + string.Join("; ", dropped.Select(d => $"{d.PartnerId} ({d.Reason})")),
                    round,
                    dropped);
            }

            current = _options.Strategy.Aggregate(current, accepted.Select(o => o.Update!).ToList());
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
                ? await EvaluateGlobalAsync(plan, currentBytes, EvaluationSplits.Validation, roundNumber, notifier, ct).ConfigureAwait(false)
                : [];
            lastGlobal = _options.EvaluateGlobalModelEachRound ? globalEvaluations : null;
            notifier.Notify(o => o.GlobalModelEvaluated(roundNumber, globalEvaluations));
            var summary = new RoundSummary(round, metrics, dropped, meanLoss, meanAccuracy, current.Sha256())
            {
                GlobalEvaluations = globalEvaluations,
                GlobalValidationLoss = GlobalModelEvaluation.RowWeightedMean(globalEvaluations, e => e.Loss),
                GlobalValidationAccuracy = GlobalModelEvaluation.RowWeightedMean(globalEvaluations, e => e.Accuracy),
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
            ? await EvaluateFinalAsync(plan, currentBytes, lastGlobal, notifier, ct).ConfigureAwait(false)
            : [];
        return new FederatedRunResult(current, currentBytes, rounds, evaluations)
        {
            BestRound = best.Round ?? (rounds.Count > 0 ? rounds[^1].Round : null),
            StoppedEarly = best.Stopped,
        };
    }

    private async Task<ClientOutcome> RunClientAsync(
        Participant participant,
        LocalTrainingRequest request,
        int round,
        WeightSet global,
        HashSet<string> frozen,
        HashSet<string> local,
        SerializedObserver notifier,
        CancellationToken ct)
    {
        ModelUpdate update;
        try
        {
            update = await AgentCalls.WithTimeoutAsync(
                token => participant.Agent.TrainLocalAsync(request, token), _options.ClientTimeout, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of a partner's agent drops that partner from the round; it must not fail the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Drop(AgentCalls.Describe(ex));
        }

        string? reason = CheckEnvelope(participant, update, round);
        WeightSet? weights = null;
        if (reason is null)
        {
            try
            {
                weights = WeightCodec.Decode(update.Weights);
            }
#pragma warning disable CA1031 // Whatever the decoder throws, the update is unreadable and is rejected.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reason = $"the weights are not valid safetensors: {ex.Message}";
            }
        }

        ClientUpdate? clientUpdate = null;
        if (weights is not null)
        {
            clientUpdate = new ClientUpdate(participant.PartnerId, update.SampleCount, weights);
            UpdateValidationResult result = _validator.Validate(clientUpdate, global, frozen, local);
            reason = result.Reason;
        }

        if (reason is not null)
        {
            return Drop($"update rejected: {reason}");
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
        return new ClientOutcome(clientUpdate, metrics, null);

        ClientOutcome Drop(string why)
        {
            notifier.Notify(o => o.ParticipantDropped(round, participant.PartnerId, why));
            return new ClientOutcome(null, null, new DroppedParticipant(participant.PartnerId, why) { DomainId = participant.DomainId });
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
        FineTuningPlan plan, byte[] weights, string split, int round, SerializedObserver notifier, CancellationToken ct) =>
        GlobalModelEvaluation.RunAsync(
            plan,
            weights,
            split,
            _options.ClientTimeout,
            (p, why) => notifier.Notify(o => o.ParticipantDropped(round, p.PartnerId, $"{split} evaluation of the global model failed: {why}")),
            ct);

    /// <summary>
    /// The final model on each participant's validation rows (the last round's evaluation, or a new one when no round ran
    /// here) and test rows; a participant that cannot evaluate it is reported and left out.
    /// </summary>
    private async Task<IReadOnlyList<ParticipantEvaluation>> EvaluateFinalAsync(
        FineTuningPlan plan, byte[] weights, IReadOnlyList<ParticipantEvaluation>? lastGlobal, SerializedObserver notifier, CancellationToken ct)
    {
        IReadOnlyList<ParticipantEvaluation> validation = lastGlobal
            ?? await EvaluateGlobalAsync(plan, weights, EvaluationSplits.Validation, plan.Rounds, notifier, ct).ConfigureAwait(false);
        IReadOnlyList<ParticipantEvaluation> test =
            await EvaluateGlobalAsync(plan, weights, EvaluationSplits.Test, plan.Rounds, notifier, ct).ConfigureAwait(false);
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

        if (expected.Except(plan.FrozenLayers.Concat(architecture.LocalLayerNames())).Count == 0)
        {
            throw new ArgumentException(
                "Every layer with parameters is frozen or local (FedBN): there is nothing to share between partners.", nameof(plan));
        }

        // Keep the architecture's tensor order so aggregation and hashes are stable.
        return new WeightSet(expected.Select(t => initial[t.Name]));
    }

    private sealed record ClientOutcome(ClientUpdate? Update, ClientMetrics? Metrics, DroppedParticipant? Dropped);

    private sealed class SerializedObserver(IFederationObserver? observer)
    {
        private readonly Lock _gate = new();

        public void Notify(Action<IFederationObserver> action)
        {
            if (observer is null)
            {
                return;
            }

            lock (_gate)
            {
                action(observer);
            }
        }
    }
}
