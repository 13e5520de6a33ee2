using System.Text.Json;
using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Domains;
using FTLPortal.Core.Jobs;
using FTLPortal.Core.ModelCards;
using FTLPortal.Core.Storage;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Rounds;
using FTLPortal.Infrastructure.Agents;
using FTLPortal.Infrastructure.ModelCards;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Training;
using Microsoft.EntityFrameworkCore;

namespace FTLPortal.Infrastructure.Jobs;

/// <summary>
/// Federated fine-tuning as a chain of short steps, so no scheduler job outlives the storage's invisibility timeout: one
/// step per round (FedAvg over the target domains' agents, from the previous round's checkpoint) and a final step for
/// the local-only baselines and the model card. Each step is idempotent: a round already recorded is not trained or
/// recorded again, and a round is recorded (metrics and round counter together) only if the previous one is the last
/// recorded, so a step delivered twice records its round once.
/// </summary>
internal sealed class FineTuningJobHandler(AgentDirectory agents, IArtifactStore artifacts)
{
    private const double ValidationFraction = 0.2;

    /// <summary>
    /// An agent call may take at most this long, well inside the scheduler storage's 30-minute invisibility timeout,
    /// so a round step ends (a slow partner dropped) before its job could be handed to another worker.
    /// </summary>
    internal static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(10);

    internal static string CheckpointKey(Guid jobId, int round) => $"jobs/{jobId}/rounds/{round}.safetensors";

    /// <summary>Trains and records round <paramref name="round"/>; false when another delivery of this step recorded it first.</summary>
    public async Task<bool> RunRoundAsync(JobExecution execution, int round, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        var parameters = execution.Parameters<FineTuningParameters>();
        var (baseModel, targets) = await LoadAsync(execution, parameters, cancellationToken);
        byte[] initialWeights;
        if (round == 1)
        {
            initialWeights = await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
                ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");
        }
        else
        {
            initialWeights = await artifacts.ReadAsync(CheckpointKey(job.Id, round - 1), cancellationToken)
                ?? throw new InvalidOperationException($"The checkpoint of round {round - 1} is missing from the artifact store.");
        }

        var plan = Plan(job, parameters, baseModel, Consenting(targets), initialWeights, startRound: round, lastRound: round);
        var observer = new RoundObserver(execution, targets, parameters.Rounds);
        foreach (var withdrawn in targets.Where(t => !t.Consents))
        {
            observer.ParticipantDropped(round, withdrawn.PartnerId.ToString(), ConsentWithdrawnReason);
        }

        var trainer = new FederatedTrainer(new FederatedTrainerOptions { ClientTimeout = ClientTimeout, EvaluateFinalModel = false });
        var result = await trainer.RunAsync(plan, observer, cancellationToken);
        await observer.FlushAsync();
        var summary = result.Rounds.Single();

        var metrics = new List<RoundMetric>();
        foreach (var client in summary.Clients)
        {
            var metric = MetricFor(job.Id, targets, summary.Round, client.PartnerId);
            metric.SampleCount = client.SampleCount;
            metric.TrainLoss = client.TrainLoss;
            metric.ValidationLoss = client.ValidationLoss;
            metric.ValidationAccuracy = client.ValidationAccuracy;
            metrics.Add(metric);
        }

        foreach (var dropped in summary.Dropped)
        {
            var metric = MetricFor(job.Id, targets, summary.Round, dropped.PartnerId);
            metric.Dropped = true;
            metric.DropReason = dropped.Reason;
            metrics.Add(metric);
        }

        foreach (var withdrawn in targets.Where(t => !t.Consents))
        {
            metrics.Add(new RoundMetric
            {
                JobId = job.Id,
                Round = summary.Round,
                PartnerId = withdrawn.PartnerId,
                PartnerName = withdrawn.PartnerName,
                DomainId = withdrawn.DomainId,
                Dropped = true,
                DropReason = ConsentWithdrawnReason,
            });
        }

        // The checkpoint first, so a recorded round always has its weights. Rewriting it on a second delivery is harmless:
        // the same seed, the same previous checkpoint, the same weights.
        await artifacts.SaveAsync(CheckpointKey(job.Id, round), result.FinalWeightsSafetensors, cancellationToken);
        await using (var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var advanced = await db.Jobs.Where(j => j.Id == job.Id && j.CurrentRound == round - 1)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.CurrentRound, round)
                          .SetProperty(j => j.Progress, (double)round / parameters.Rounds * 0.9)
                          .SetProperty(j => j.ProgressMessage, $"Round {round}/{parameters.Rounds}: mean validation accuracy {summary.MeanValidationAccuracy:P1}"),
                    cancellationToken);
            if (advanced == 0)
            {
                return false;
            }

            db.RoundMetrics.AddRange(metrics);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        job.CurrentRound = round;
        job.Progress = (double)round / parameters.Rounds * 0.9;
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.RoundCompleted) with
        {
            Round = round,
            TotalRounds = parameters.Rounds,
            Metrics = metrics.Select(m => new PartnerRoundMetrics(m.PartnerId, m.PartnerName, m.SampleCount, m.TrainLoss, m.ValidationLoss, m.ValidationAccuracy, m.Dropped)).ToList(),
            Message = $"Round {round} done: mean validation accuracy {summary.MeanValidationAccuracy:P1}",
        });
        return true;
    }

    /// <summary>After the last round: the final model evaluated, local-only baselines, the weights and the model card. Safe to run twice.</summary>
    public async Task<string> RunFinalAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        var parameters = execution.Parameters<FineTuningParameters>();
        var (baseModel, targets) = await LoadAsync(execution, parameters, cancellationToken);
        var baseWeights = await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
            ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");
        var finalWeights = await artifacts.ReadAsync(CheckpointKey(job.Id, parameters.Rounds), cancellationToken)
            ?? throw new InvalidOperationException($"The checkpoint of round {parameters.Rounds} is missing from the artifact store.");

        // No rounds left to run: the trainer only evaluates the final model on every partner.
        var plan = Plan(job, parameters, baseModel, Consenting(targets), finalWeights, startRound: parameters.Rounds + 1, lastRound: parameters.Rounds);
        var observer = new RoundObserver(execution, targets, parameters.Rounds);
        var result = await new FederatedTrainer(new FederatedTrainerOptions { ClientTimeout = ClientTimeout }).RunAsync(plan, observer, cancellationToken);
        await observer.FlushAsync();

        await execution.ReportAsync(0.92, "Training local-only baselines", cancellationToken: cancellationToken);
        // Every round's metrics read once for both the partner results and the card.
        var rounds = await RoundsOf(execution, cancellationToken);
        var partnerResults = await EvaluatePartnersAsync(parameters, baseModel, baseWeights, result, targets, rounds, cancellationToken);

        await execution.ReportAsync(0.98, "Writing the model card", cancellationToken: cancellationToken);
        var card = await WriteCardAsync(execution, parameters, baseModel, result, partnerResults, rounds, cancellationToken);
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.ModelCardReady) with
        {
            Message = $"Model card ready: {card.ModelName}",
            Link = $"/jobs/{job.Id}#model-card",
        });
        return JsonSerializer.Serialize(new { ModelCardId = card.Id, card.ModelName, card.WeightsSha256, Partners = partnerResults });
    }

    private async Task<(BaseModel BaseModel, List<Target> Targets)> LoadAsync(JobExecution execution, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var baseModel = await db.BaseModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == parameters.BaseModelId, cancellationToken)
            ?? throw new InvalidOperationException("The base model no longer exists.");
        var rows = await (from d in db.Domains
                          join p in db.Partners on d.PartnerId equals p.Id
                          where parameters.TargetDomainIds.Contains(d.Id)
                          select new { d.Id, d.Name, PartnerId = p.Id, PartnerName = p.Name, p.Slug, d.TrainingConsent }).ToListAsync(cancellationToken);
        if (rows.Count != parameters.TargetDomainIds.Count)
        {
            throw new InvalidOperationException("A target domain was deleted after the job was scheduled.");
        }

        // In the order of the request, so aggregation sums in the same order on every delivery and after a restart.
        var targets = parameters.TargetDomainIds
            .Select(id => rows.Single(r => r.Id == id))
            .Select(r => new Target(r.Id, r.Name, r.PartnerId, r.PartnerName, agents.For(r.PartnerId, r.Slug)) { Consents = r.TrainingConsent })
            .ToList();
        return (baseModel, targets);
    }

    private static FineTuningPlan Plan(PortalJob job, FineTuningParameters parameters, BaseModel baseModel, List<Target> targets, byte[] initialWeights, int startRound, int lastRound) => new()
    {
        // The job id names the run, so each agent's local (FedBN) layers carry over between rounds.
        RunId = job.Id.ToString(),
        ArchitectureJson = baseModel.ArchitectureJson,
        InitialWeights = initialWeights,
        FrozenLayers = parameters.FrozenLayers,
        Rounds = lastRound,
        StartRound = startRound,
        Local = LocalOptions(parameters, parameters.LocalEpochs),
        Participants = targets.Select(t => new Participant(t.PartnerId.ToString(), t.DomainId.ToString(), t.Agent)).ToList(),
        ValidationFraction = ValidationFraction,
        SplitSeed = parameters.Seed,
    };

    private static RoundMetric MetricFor(Guid jobId, List<Target> targets, int round, string partnerId)
    {
        var target = targets.First(t => t.PartnerId.ToString() == partnerId);
        return new RoundMetric
        {
            JobId = jobId,
            Round = round,
            PartnerId = target.PartnerId,
            PartnerName = target.PartnerName,
            DomainId = target.DomainId,
        };
    }

    private static TrainingOptions LocalOptions(FineTuningParameters parameters, int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = parameters.BatchSize,
        LearningRate = (float)parameters.LearningRate,
        Optimizer = OptimizerKind.Adam,
        Seed = parameters.Seed,
        FrozenLayers = parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal),
    };

    private static async Task<List<PartnerResult>> EvaluatePartnersAsync(
        FineTuningParameters parameters, BaseModel baseModel, byte[] baseWeights,
        FederatedRunResult result, List<Target> targets, List<RoundMetric> rounds, CancellationToken cancellationToken)
    {
        var results = new List<PartnerResult>();
        foreach (var target in targets)
        {
            var dropped = rounds.Count(r => r.PartnerId == target.PartnerId && r.Dropped);
            if (!target.Consents)
            {
                // Its data is not used again, not even to evaluate: the card says why it has no final numbers.
                results.Add(new PartnerResult(target.PartnerName, target.DomainName, 0, 0, null, null, null, null, dropped, ConsentWithdrawnReason));
                continue;
            }

            try
            {
                results.Add(await EvaluatePartnerAsync(parameters, baseModel, baseWeights, result, target, dropped, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A partner that vanished after the rounds still gets a line in the card, saying so.
                results.Add(new PartnerResult(target.PartnerName, target.DomainName, 0, 0, null, null, null, null, dropped, $"agent unreachable at evaluation: {ex.Message}"));
            }
        }

        return results;
    }

    private static async Task<PartnerResult> EvaluatePartnerAsync(
        FineTuningParameters parameters, BaseModel baseModel, byte[] baseWeights, FederatedRunResult result, Target target, int roundsDropped,
        CancellationToken cancellationToken)
    {
        var domainId = target.DomainId.ToString();
        var evaluation = new EvaluationRequest
        {
            DomainId = domainId,
            ArchitectureJson = baseModel.ArchitectureJson,
            Weights = baseWeights,
            ValidationFraction = ValidationFraction,
            SplitSeed = parameters.Seed,
        };
        var baseline = await target.Agent.EvaluateAsync(evaluation, cancellationToken);
        var federated = result.FinalEvaluations.FirstOrDefault(e => e.PartnerId == target.PartnerId.ToString())?.Validation
            ?? await target.Agent.EvaluateAsync(evaluation with { Weights = result.FinalWeightsSafetensors }, cancellationToken);

        // Local-only: the same base model and epoch budget, this partner's data alone.
        var localOnly = await target.Agent.TrainLocalAsync(
            new LocalTrainingRequest
            {
                DomainId = domainId,
                ArchitectureJson = baseModel.ArchitectureJson,
                GlobalWeights = baseWeights,
                FrozenLayers = parameters.FrozenLayers,
                Training = LocalOptions(parameters, parameters.Rounds * parameters.LocalEpochs),
                ValidationFraction = ValidationFraction,
                SplitSeed = parameters.Seed,
            },
            cancellationToken);
        return new PartnerResult(
            target.PartnerName,
            target.DomainName,
            localOnly.SampleCount,
            federated.Rows,
            baseline.Accuracy,
            localOnly.Validation.Accuracy,
            federated.Accuracy,
            federated.Loss,
            roundsDropped);
    }

    private static async Task<List<RoundMetric>> RoundsOf(JobExecution execution, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RoundMetrics.AsNoTracking().Where(m => m.JobId == execution.Job.Id).ToListAsync(cancellationToken);
    }

    private async Task<ModelCard> WriteCardAsync(
        JobExecution execution, FineTuningParameters parameters, BaseModel baseModel, FederatedRunResult result,
        List<PartnerResult> partners, List<RoundMetric> metrics, CancellationToken cancellationToken)
    {
        var architecture = ModelArchitecture.FromJson(baseModel.ArchitectureJson);
        var layers = JsonSerializer.Deserialize<List<ModelLayer>>(baseModel.LayersJson) ?? [];
        var frozen = parameters.FrozenLayers.ToHashSet(StringComparer.Ordinal);
        var frozenParameters = layers.Where(l => frozen.Contains(l.Name)).Sum(l => l.ParameterCount);
        var roundLines = metrics.GroupBy(m => m.Round).OrderBy(g => g.Key).Select(g =>
        {
            var kept = g.Where(m => !m.Dropped).ToList();
            var samples = Math.Max(1, kept.Sum(m => m.SampleCount));
            return new RoundLine(
                g.Key,
                kept.Count,
                g.Count(m => m.Dropped),
                kept.Sum(m => m.ValidationLoss * m.SampleCount) / samples,
                kept.Sum(m => m.ValidationAccuracy * m.SampleCount) / samples);
        }).ToList();
        var statistics = await FirstTargetStatistics(execution, parameters, cancellationToken);
        var input = new ModelCardInput
        {
            Job = execution.Job,
            Parameters = parameters,
            BaseModel = baseModel,
            ClassNames = architecture.ClassNames,
            FeatureNames = statistics.FeatureNames,
            Layers = layers,
            Partners = partners,
            Rounds = roundLines,
            WeightsSha256 = result.FinalWeights.Sha256(),
            TrainableParameters = layers.Sum(l => l.ParameterCount) - frozenParameters,
            FrozenParameters = frozenParameters,
            Strategy = "FedAvg",
        };
        var card = new ModelCard
        {
            JobId = execution.Job.Id,
            ModelName = ModelCardWriter.ModelName(input),
            Markdown = ModelCardWriter.ToMarkdown(input),
            Json = ModelCardWriter.ToJson(input),
            WeightsArtifact = $"jobs/{execution.Job.Id}/weights.safetensors",
            WeightsSha256 = input.WeightsSha256,
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["ftl_model_name"] = card.ModelName,
            ["ftl_architecture"] = baseModel.ArchitectureJson,
            ["ftl_frozen_layers"] = string.Join(',', parameters.FrozenLayers),
        };
        await artifacts.SaveAsync(card.WeightsArtifact, SafeTensorsFormat.ToBytes(result.FinalWeights, metadata), cancellationToken);
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        db.ModelCards.RemoveRange(db.ModelCards.Where(c => c.JobId == execution.Job.Id));
        db.ModelCards.Add(card);
        await db.SaveChangesAsync(cancellationToken);
        return card;
    }

    private static async Task<DomainStatistics> FirstTargetStatistics(JobExecution execution, FineTuningParameters parameters, CancellationToken cancellationToken)
    {
        await using var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.Domains.Where(d => d.Id == parameters.TargetDomainIds[0]).Select(d => d.SummaryJson).FirstAsync(cancellationToken);
        return DomainStatistics.FromSummaryJson(json);
    }

    private sealed record Target(Guid DomainId, string DomainName, Guid PartnerId, string PartnerName, IFederatedAgent Agent)
    {
        /// <summary>The domain's training consent as the step starts: a withdrawal applies from the next round.</summary>
        public bool Consents { get; init; } = true;
    }

    internal const string ConsentWithdrawnReason = "the partner withdrew training consent for this domain";

    /// <summary>The targets still consenting; none left fails the job (permanently: no retry brings consent back).</summary>
    private static List<Target> Consenting(List<Target> targets)
    {
        var consenting = targets.Where(t => t.Consents).ToList();
        return consenting.Count > 0
            ? consenting
            : throw new InvalidOperationException("Every target domain's partner withdrew training consent: nobody is left to train or evaluate the model.");
    }

    /// <summary>
    /// Publishes a step's live events (round started, partner dropped). The trainer calls observers synchronously; the
    /// writes are chained so they happen in order without blocking the round loop. Recording is the step's, not this.
    /// </summary>
    private sealed class RoundObserver(JobExecution execution, List<Target> targets, int totalRounds) : IFederationObserver
    {
        private readonly Lock _gate = new();
        private Task _pending = Task.CompletedTask;

        public void RoundStarted(int round) => Enqueue(async () =>
        {
            await execution.ReportAsync((round - 1.0) / totalRounds * 0.9, $"Round {round}/{totalRounds}: local training");
            execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.RoundStarted) with { Round = round, TotalRounds = totalRounds });
        });

        public void ParticipantDropped(int round, string partnerId, string reason)
        {
            var target = targets.FirstOrDefault(t => t.PartnerId.ToString() == partnerId);
            Enqueue(() =>
            {
                execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.ParticipantDropped) with
                {
                    Round = round,
                    TotalRounds = totalRounds,
                    Message = $"{target?.PartnerName ?? partnerId} dropped out of round {round}: {reason}",
                });
                return Task.CompletedTask;
            });
        }

        public Task FlushAsync()
        {
            lock (_gate)
            {
                return _pending;
            }
        }

        private void Enqueue(Func<Task> work)
        {
            lock (_gate)
            {
                var previous = _pending;
                _pending = Chain(previous, work);
            }
        }

        private static async Task Chain(Task previous, Func<Task> work)
        {
            await previous;
            await work();
        }
    }
}
