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
/// Federated fine-tuning: FedAvg rounds over the target domains' agents, a checkpoint after every round (so a restart
/// resumes rather than starts over), local-only baselines, and the model card.
/// </summary>
internal sealed class FineTuningJobHandler(AgentDirectory agents, IArtifactStore artifacts) : IPortalJobHandler
{
    private const double ValidationFraction = 0.2;

    public JobKind Kind => JobKind.FineTuning;

    public async Task<string> RunAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        var parameters = execution.Parameters<FineTuningParameters>();
        BaseModel baseModel;
        List<Target> targets;
        await using (var db = await execution.DbFactory.CreateDbContextAsync(cancellationToken))
        {
            baseModel = await db.BaseModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == parameters.BaseModelId, cancellationToken)
                ?? throw new InvalidOperationException("The base model no longer exists.");
            var rows = await (from d in db.Domains
                              join p in db.Partners on d.PartnerId equals p.Id
                              where parameters.TargetDomainIds.Contains(d.Id)
                              select new { d.Id, d.Name, PartnerId = p.Id, PartnerName = p.Name, p.Slug }).ToListAsync(cancellationToken);
            if (rows.Count != parameters.TargetDomainIds.Count)
            {
                throw new InvalidOperationException("A target domain was deleted after the job was scheduled.");
            }

            targets = rows.Select(r => new Target(r.Id, r.Name, r.PartnerId, r.PartnerName, agents.For(r.PartnerId, r.Slug))).ToList();
        }

        var baseWeights = await artifacts.ReadAsync(baseModel.WeightsArtifact, cancellationToken)
            ?? throw new InvalidOperationException("The base model's weights are missing from the artifact store.");

        // Resume after a restart from the last completed round's checkpoint.
        var checkpointKey = $"jobs/{job.Id}/checkpoint.safetensors";
        var startRound = 1;
        var initialWeights = baseWeights;
        if (job.CurrentRound > 0 && await artifacts.ReadAsync(checkpointKey, cancellationToken) is { } checkpoint)
        {
            startRound = job.CurrentRound + 1;
            initialWeights = checkpoint;
        }

        var plan = new FineTuningPlan
        {
            // The job id names the run, so each agent's local (FedBN) layers carry over between rounds and a resume.
            RunId = job.Id.ToString(),
            ArchitectureJson = baseModel.ArchitectureJson,
            InitialWeights = initialWeights,
            FrozenLayers = parameters.FrozenLayers,
            Rounds = parameters.Rounds,
            StartRound = startRound,
            Local = LocalOptions(parameters, parameters.LocalEpochs),
            Participants = targets.Select(t => new Participant(t.PartnerId.ToString(), t.DomainId.ToString(), t.Agent)).ToList(),
            ValidationFraction = ValidationFraction,
            SplitSeed = parameters.Seed,
        };

        var observer = new RoundRecorder(execution, targets, checkpointKey, artifacts, parameters.Rounds);
        var trainer = new FederatedTrainer();
        FederatedRunResult result;
        try
        {
            result = await trainer.RunAsync(plan, observer, cancellationToken);
        }
        finally
        {
            await observer.FlushAsync();
        }

        await execution.ReportAsync(0.92, "Training local-only baselines", parameters.Rounds, cancellationToken);
        // Every round's metrics, resumed rounds included, read once for both the partner results and the card.
        var rounds = await RoundsOf(execution, cancellationToken);
        var partnerResults = await EvaluatePartnersAsync(parameters, baseModel, baseWeights, result, targets, rounds, cancellationToken);

        await execution.ReportAsync(0.98, "Writing the model card", parameters.Rounds, cancellationToken);
        var card = await WriteCardAsync(execution, parameters, baseModel, result, partnerResults, rounds, cancellationToken);
        execution.Notifier.Publish(JobEvents.From(job, JobEventKind.ModelCardReady) with
        {
            Message = $"Model card ready: {card.ModelName}",
            Link = $"/jobs/{job.Id}#model-card",
        });
        return JsonSerializer.Serialize(new { ModelCardId = card.Id, card.ModelName, card.WeightsSha256, Partners = partnerResults });
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

    private sealed record Target(Guid DomainId, string DomainName, Guid PartnerId, string PartnerName, IFederatedAgent Agent);

    /// <summary>
    /// Persists each round as it completes (metrics, checkpoint, progress) and publishes the events. The trainer calls
    /// observers synchronously; the writes are chained so they happen in order without blocking the round loop.
    /// </summary>
    private sealed class RoundRecorder(JobExecution execution, List<Target> targets, string checkpointKey, IArtifactStore artifacts, int totalRounds) : IFederationObserver
    {
        private readonly Lock _gate = new();
        private Task _pending = Task.CompletedTask;

        public void RoundStarted(int round) => Enqueue(async () =>
        {
            await execution.ReportAsync((round - 1.0) / totalRounds * 0.9, $"Round {round}/{totalRounds}: local training", round - 1);
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

        public void RoundCompleted(RoundSummary summary, ReadOnlyMemory<byte> globalWeightsSafetensors)
        {
            var weights = globalWeightsSafetensors.ToArray();
            Enqueue(async () =>
            {
                var metrics = new List<RoundMetric>();
                foreach (var client in summary.Clients)
                {
                    var metric = MetricFor(summary.Round, client.PartnerId);
                    metric.SampleCount = client.SampleCount;
                    metric.TrainLoss = client.TrainLoss;
                    metric.ValidationLoss = client.ValidationLoss;
                    metric.ValidationAccuracy = client.ValidationAccuracy;
                    metrics.Add(metric);
                }

                foreach (var dropped in summary.Dropped)
                {
                    var metric = MetricFor(summary.Round, dropped.PartnerId);
                    metric.Dropped = true;
                    metric.DropReason = dropped.Reason;
                    metrics.Add(metric);
                }

                // Checkpoint before recording the round, so a recorded round always has its weights.
                await artifacts.SaveAsync(checkpointKey, weights, CancellationToken.None);
                await using (var db = await execution.DbFactory.CreateDbContextAsync())
                {
                    db.RoundMetrics.RemoveRange(db.RoundMetrics.Where(m => m.JobId == execution.Job.Id && m.Round == summary.Round));
                    db.RoundMetrics.AddRange(metrics);
                    await db.SaveChangesAsync();
                }

                await execution.ReportAsync(
                    (double)summary.Round / totalRounds * 0.9,
                    $"Round {summary.Round}/{totalRounds}: mean validation accuracy {summary.MeanValidationAccuracy:P1}",
                    summary.Round);
                execution.Notifier.Publish(JobEvents.From(execution.Job, JobEventKind.RoundCompleted) with
                {
                    Round = summary.Round,
                    TotalRounds = totalRounds,
                    Metrics = metrics.Select(m => new PartnerRoundMetrics(m.PartnerId, m.PartnerName, m.SampleCount, m.TrainLoss, m.ValidationLoss, m.ValidationAccuracy, m.Dropped)).ToList(),
                    Message = $"Round {summary.Round} done: mean validation accuracy {summary.MeanValidationAccuracy:P1}",
                });
            });
        }

        private RoundMetric MetricFor(int round, string partnerId)
        {
            var target = targets.First(t => t.PartnerId.ToString() == partnerId);
            return new RoundMetric
            {
                JobId = execution.Job.Id,
                Round = round,
                PartnerId = target.PartnerId,
                PartnerName = target.PartnerName,
                DomainId = target.DomainId,
            };
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
