using FTLPortal.Core.Jobs;
using FTLPortal.Core.Jobs.Evaluation;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Learning.Training;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// The final step's evaluation on each domain's fixed test rows: the federated model (from the trainer's final
/// evaluation), the base model as it is, and local-only fine-tuning from the base model (<see cref="LocalBaseline"/>),
/// with bootstrap intervals and the negative-transfer flag. A domain whose agent fails keeps a line saying why.
/// </summary>
internal sealed class FineTuningFinalEvaluator(TimeSpan clientTimeout)
{
    private const string IncompatibleBaseModel = "incompatible base model: ";

    public async Task<FineTuningEvaluation> EvaluateAsync(
        FederatedRunResult federated,
        FineTuningPlan baselinePlan,
        IReadOnlyList<FineTuningJobHandler.Target> targets,
        IReadOnlyList<RoundMetric> rounds,
        FinalRoundChoice choice,
        IReadOnlyList<string> classNames,
        string weightsSha256,
        CancellationToken cancellationToken)
    {
        var baselines = await new LocalBaseline(clientTimeout).RunAsync(baselinePlan, cancellationToken);
        var domains = new List<DomainEvaluation>();
        foreach (var target in targets)
        {
            if (!target.Consents)
            {
                // Its data is not used again, not even to evaluate: the card and the page say why it has no final numbers.
                domains.Add(new DomainEvaluation
                {
                    PartnerId = target.PartnerId,
                    PartnerName = target.PartnerName,
                    DomainId = target.DomainId,
                    DomainName = target.DomainName,
                    RoundsDropped = rounds.Count(r => r.DomainId == target.DomainId && r.Dropped),
                    Note = FineTuningJobHandler.ConsentWithdrawnReason,
                });
                continue;
            }

            var domainId = target.DomainId.ToString();
            var partnerId = target.PartnerId.ToString();
            var final = federated.FinalEvaluations.FirstOrDefault(e => e.DomainId == domainId && e.PartnerId == partnerId);
            var local = baselines.FirstOrDefault(b => b.DomainId == domainId && b.PartnerId == partnerId);
            var (baseTest, baseError) = await BaseModelTestAsync(baselinePlan, target, cancellationToken);
            var notes = new List<string>();
            if (final?.Test is null)
            {
                notes.Add("agent unreachable at evaluation: the federated model could not be scored");
            }

            if (local?.Error is { } localError)
            {
                notes.Add($"agent unreachable at evaluation: {localError}");
            }
            else if (baseError is not null && baselinePlan.TaskHeads && baseError.StartsWith(IncompatibleBaseModel, StringComparison.Ordinal))
            {
                notes.Add("the base model's output layer does not know this domain's classes, so it has no base-model number (its own task head does)");
            }
            else if (baseError is not null)
            {
                notes.Add($"agent unreachable at evaluation: {baseError}");
            }

            // A partner that left the rounds (negative-transfer action) ends with its local-only model: that is its result.
            var reaction = federated.Reactions.LastOrDefault(r => r.DomainId == domainId && r.PartnerId == partnerId);
            if (reaction is { Applied: true, Response: NegativeTransferResponse.Leave } && local?.Test is not null)
            {
                final = new ParticipantEvaluation(partnerId, domainId, local.Validation!) { Test = local.Test };
            }

            domains.Add(new DomainEvaluation
            {
                PartnerId = target.PartnerId,
                PartnerName = target.PartnerName,
                DomainId = target.DomainId,
                DomainName = target.DomainName,
                TrainRows = local?.SampleCount ?? 0,
                CrossValidated = local?.CrossValidated is not null,
                FederatedValidationAccuracy = final?.Validation.Accuracy,
                FederatedValidationLoss = final?.Validation.Loss,
                Federated = FineTuningEvaluationRecorder.ToMetrics(final?.Test),
                BaseModel = FineTuningEvaluationRecorder.ToMetrics(baseTest),
                LocalOnly = FineTuningEvaluationRecorder.ToMetrics(local?.Test),
                LocalOnlyCrossValidated = FineTuningEvaluationRecorder.ToMetrics(local?.CrossValidated),
                NegativeTransfer = FineTuningEvaluationRecorder.IsNegativeTransfer(final?.Test, local?.Test),
                NegativeTransferReaction = reaction?.Describe(),
                OwnHeadClasses = baselinePlan.TaskHeads ? (final?.Test ?? local?.Test)?.Report?.ConfusionMatrix.Count : null,
                RoundsDropped = rounds.Count(r => r.DomainId == target.DomainId && r.Dropped),
                Note = notes.Count == 0 ? null : string.Join("; ", notes.Distinct(StringComparer.Ordinal)),
            });
        }

        return new FineTuningEvaluation
        {
            ClassNames = classNames,
            Domains = domains,
            FinalRound = choice.FinalRound,
            RoundsRun = choice.RoundsRun,
            StoppedEarly = choice.StoppedEarly,
            BootstrapSamples = new Learning.Metrics.ClassificationReportOptions().BootstrapSamples,
            WeightsSha256 = weightsSha256,
        };
    }

    private async Task<(EvaluationResult? Result, string? Error)> BaseModelTestAsync(FineTuningPlan plan, FineTuningJobHandler.Target target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(clientTimeout);
        try
        {
            var result = await target.Agent.EvaluateAsync(
                new EvaluationRequest
                {
                    DomainId = target.DomainId.ToString(),
                    ArchitectureJson = plan.ArchitectureJson,
                    Weights = plan.InitialWeights,
                    ValidationFraction = plan.ValidationFraction,
                    Split = EvaluationSplits.Test,
                    Engine = plan.Participants.FirstOrDefault(p => p.DomainId == target.DomainId.ToString())?.Engine ?? plan.Engine,
                },
                timeout.Token);
            return (result, null);
        }
        catch (IncompatibleDomainException ex) when (plan.TaskHeads)
        {
            // Multitask: a domain with classes the base model's head does not know has no base-model number.
            return (null, IncompatibleBaseModel + ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A partner that vanished after the rounds still gets a line in the card, saying so.
            return (null, ex.Message);
        }
    }
}
